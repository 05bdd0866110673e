import BaohaoDomain
import BaohaoMessaging
import Foundation
import Hummingbird

/// Kannel's callbacks: inbound SMS (`get-url` of an `sms-service`,
/// `…/v1/sms/inbound?from=%p&to=%P&text=%a&id=%I&key=SECRET`; the plain-text answer goes back to the
/// sender, with `X-Kannel-Coding: 2` (UCS-2) when it is Chinese) and delivery reports (`dlr-url`).
/// Both are refused without the shared secret (`key=` for inbound, a per-reminder token for
/// reports). Inbound commands (``SMSCommand``): `BAL`/`余额`, `CZ <PIN> [number]`/`充值 …`,
/// `HELP`/`帮助`; Kannel's retry of one message (same `id`) gets the first answer and acts once.
struct SMSCallbackController<Context: RequestContext> {
    let reminders: ReminderService
    let commands: TextCommandService
    /// Authenticates Kannel's callbacks; `nil` turns them off.
    let smsCallbackSecret: String?

    func addRoutes(to router: Router<Context>) {
        router.get("/v1/sms/inbound", use: inbound)
        router.get("/v1/sms/dlr", use: deliveryReport)
    }

    func refuse() -> Problem { Problem(.unauthorized, "unauthorized") }

    @Sendable func inbound(_ request: Request, context: Context) async throws -> Response {
        guard let secret = self.smsCallbackSecret, let key = request.uri.queryParameters.get("key"),
            ConstantTime.equal(Array(key.utf8), Array(secret.utf8))
        else { throw refuse() }
        // Kannel encodes a space in %a as '+': the query is read as a form, '+' being a space.
        let query = FormDecoding.decode(String((request.uri.query ?? "").prefix(2048)))
        let from = String((query["from"] ?? "").prefix(32))
        let text = String((query["text"] ?? "").prefix(160))
        let id = query["id"].map { String($0.prefix(128)) }
        let reply = try await self.commands.reply(from: from, text: text, messageID: id)
        var response = Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: .init(string: reply)))
        response.headers[.cacheControl] = "no-store"
        // Chinese needs UCS-2; Latin text (¥ included) fits the GSM alphabet Kannel uses by default.
        if reply.unicodeScalars.contains(where: { $0.value >= 0x370 }) { response.headers[.init("X-Kannel-Coding")!] = "2" }
        return response
    }

    @Sendable func deliveryReport(_ request: Request, context: Context) async throws -> Response {
        guard let secret = self.smsCallbackSecret, let reminder = request.uri.queryParameters.get("reminder"), reminder.count <= 64,
            let token = request.uri.queryParameters.get("token"),
            ConstantTime.equal(Array(token.utf8), Array(KannelConfiguration.token(reminderID: String(reminder), secret: secret).utf8))
        else { throw refuse() }
        guard let code = request.uri.queryParameters.get("status").flatMap({ Int($0) }), (0...64).contains(code) else {
            throw Problem(.unprocessableContent, "validation-error", detail: "status must be Kannel's %d code", field: "status")
        }
        _ = try await self.reminders.recordDeliveryReport(reminderID: String(reminder), code: code)
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: .init(string: "ok")))
    }
}
