import BaohaoDomain
import BaohaoPayments
import BaohaoTelephony
import Foundation
import HTTPTypes
import Hummingbird

/// The hotline on Twilio Programmable Voice: the number's voice webhook (`POST
/// /v1/ivr/twilio/voice`), the `<Gather>` and `<Pay>` actions it is sent to next, and the call
/// status callback (a hang-up). Every request must carry a valid `X-Twilio-Signature` for
/// `--public-url` plus its path and query; a bad one gets 403 and nothing is done. Off (404)
/// without an auth token (`BAOHAO_TWILIO_AUTH_TOKEN_FILE`).
///
/// Each answer's action URL names the turn it answers (`?turn=N`): a webhook Twilio retries is
/// answered as the first time, and the keys in it count once.
struct TwilioVoiceController<Context: RequestContext> {
    let ivr: IVRService
    let authToken: String?
    let publicBaseURL: String
    /// Twilio's name for the payment connector `<Pay>` uses.
    let paymentConnector: String

    static var maximumBodyBytes: Int { 16 * 1024 }

    func addRoutes(to router: Router<Context>) {
        router.post("/v1/ivr/twilio/voice", use: voice)
        router.post("/v1/ivr/twilio/gather", use: gather)
        router.post("/v1/ivr/twilio/pay", use: pay)
        router.post("/v1/ivr/twilio/status", use: status)
    }

    /// A signed request's form fields.
    struct Signed {
        let fields: [String: String]
        func callID() throws -> String {
            guard let sid = fields["CallSid"], let id = IVRCall.id(.twilio, sid) else {
                throw Problem(.badRequest, "validation-failed", detail: "CallSid", field: "CallSid")
            }
            return id
        }
    }

    func verified(_ request: Request) async throws -> Signed {
        guard let authToken else { throw Problem(.notFound, "not-found") }
        let body = try await request.bodyBytes(limit: Self.maximumBodyBytes)
        guard let pairs = FormEncoding.parse(body), pairs.count <= 100 else {
            throw Problem(.badRequest, "validation-failed", detail: "form body")
        }
        let url = publicBaseURL + request.uri.description
        guard TwilioSignature(authToken: authToken).isValid(header: request.headers[.twilioSignature], url: url, parameters: pairs) else {
            throw Problem(.forbidden, "bad-signature")
        }
        var fields: [String: String] = [:]
        for (name, value) in pairs where fields[name] == nil { fields[name] = value }
        return Signed(fields: fields)
    }

    func turnNumber(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("turn"), let turn = Int(text), (0...10_000).contains(turn) else {
            throw Problem(.badRequest, "validation-failed", detail: "turn", field: "turn")
        }
        return turn
    }

    @Sendable func voice(_ request: Request, context: Context) async throws -> Response {
        let signed = try await verified(request)
        let (live, turn) = try await ivr.start(id: try signed.callID(), frontEnd: .twilio, caller: signed.fields["From"])
        return twiml(turn, next: live.turn)
    }

    @Sendable func gather(_ request: Request, context: Context) async throws -> Response {
        let signed = try await verified(request)
        let digits = String((signed.fields["Digits"] ?? "").prefix(32))
        return try await advance(signed, turn: try turnNumber(request), input: digits.isEmpty ? .noInput : .digits(digits))
    }

    @Sendable func pay(_ request: Request, context: Context) async throws -> Response {
        let signed = try await verified(request)
        let input: IVRInput
        switch signed.fields["Result"] ?? "" {
        case "success":
            let reference = signed.fields["PaymentConfirmationCode"] ?? ""
            guard (1...64).contains(reference.utf8.count), reference.isAllVisibleASCII else {
                throw Problem(.badRequest, "validation-failed", detail: "PaymentConfirmationCode", field: "PaymentConfirmationCode")
            }
            let card = (signed.fields["PaymentCardNumber"] ?? "").filter(\.isNumber)
            input = .connectorPayment(.approved(reference: reference, cardLast4: card.count >= 4 ? String(card.suffix(4)) : nil))
        case "caller-hung-up":
            input = .hangUp
        case let result:
            let reason = signed.fields["PaymentError"].flatMap { $0.isEmpty ? nil : $0 } ?? (result.isEmpty ? "declined" : result)
            input = .connectorPayment(.declined(reason: String(reason.prefix(64))))
        }
        return try await advance(signed, turn: try turnNumber(request), input: input)
    }

    @Sendable func status(_ request: Request, context: Context) async throws -> Response {
        let signed = try await verified(request)
        let ended: Set<String> = ["completed", "busy", "failed", "no-answer", "canceled"]
        if ended.contains(signed.fields["CallStatus"] ?? "") {
            _ = try await ivr.advance(id: try signed.callID(), turn: nil, caller: signed.fields["From"], input: .hangUp)
        }
        return Response(status: .noContent)
    }

    func advance(_ signed: Signed, turn: Int, input: IVRInput) async throws -> Response {
        guard let (said, next) = try await ivr.advance(id: try signed.callID(), turn: turn, caller: signed.fields["From"], input: input)
        else {
            return twiml(IVRTurn(language: .zh, utterances: [.prompt(.goodbye)], next: .hangUp), next: 0)
        }
        return twiml(said, next: next)
    }

    func twiml(_ turn: IVRTurn, next: Int) -> Response {
        let actions = TwiML.Actions(
            gather: "\(publicBaseURL)/v1/ivr/twilio/gather?turn=\(next)", pay: "\(publicBaseURL)/v1/ivr/twilio/pay?turn=\(next)",
            paymentConnector: paymentConnector)
        var response = Response(
            status: .ok, headers: [.contentType: "application/xml; charset=utf-8"],
            body: .init(byteBuffer: .init(string: TwiML.render(turn, actions: actions))))
        response.headers[.cacheControl] = "no-store"
        return response
    }
}

extension HTTPField.Name {
    static let twilioSignature = Self("X-Twilio-Signature")!
}
