import BaohaoDomain
import Foundation
import Hummingbird

/// `POST /v1/ussd/africastalking?key=SECRET`: the USSD menu over Africa's Talking's callback (a
/// form with `sessionId`, `serviceCode`, `phoneNumber` and `text`, the session's inputs joined by
/// `*`); the plain-text answer starts `CON ` or `END ` (``USSDService``). Every callback is
/// refused unless `key` equals `BAOHAO_USSD_SECRET[_FILE]` and, when `BAOHAO_USSD_ALLOWED_IPS` is
/// set, the peer is one of them; with no secret set the endpoint refuses everything (an open USSD
/// endpoint would let anyone redeem cards by guessing).
struct USSDController<Context: RequestContext> {
    let ussd: USSDService
    let secret: String?
    let allowedIPs: Set<String>

    func addRoutes(to router: Router<Context>) {
        router.post("/v1/ussd/africastalking", use: callback)
    }

    @Sendable func callback(_ request: Request, context: Context) async throws -> Response {
        guard let secret, let key = request.uri.queryParameters.get("key"), ConstantTime.equal(Array(key.utf8), Array(secret.utf8)) else {
            throw Problem(.unauthorized, "unauthorized")
        }
        if !allowedIPs.isEmpty {
            let peer = (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress
            guard let peer, allowedIPs.contains(peer) else { throw Problem(.forbidden, "forbidden", detail: "not an allowed gateway address") }
        }
        let bytes = try await request.bodyBytes(limit: 4 * 1024)
        let form = FormDecoding.decode(String(decoding: bytes, as: UTF8.self))
        guard let session = form["sessionId"], !session.isEmpty, let phone = form["phoneNumber"], !phone.isEmpty else {
            throw Problem(.unprocessableContent, "validation-error", detail: "sessionId and phoneNumber are required", field: "sessionId")
        }
        let answer = try await ussd.answer(sessionID: session, phoneNumber: String(phone.prefix(32)), text: form["text"] ?? "")
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: .init(string: answer)))
    }
}
