import BaohaoDomain
import Foundation
import Hummingbird

/// An RFC 9457 problem: every API error leaves as `application/problem+json` with a stable `type`.
public struct Problem: Error, Sendable {
    public let status: HTTPResponse.Status
    /// The stable code; the `type` URI is `https://baohao.dev/problems/<code>`.
    public let code: String
    public let detail: String?
    /// The request field at fault, for validation errors (e.g. `amount.amount`).
    public let field: String?
    /// Extra members, e.g. the rows of a rejected import.
    public let extensions: [String: ProblemValue]
    /// Extra response headers, e.g. `Retry-After`.
    public let headers: HTTPFields

    public init(
        _ status: HTTPResponse.Status, _ code: String, detail: String? = nil, field: String? = nil,
        extensions: [String: ProblemValue] = [:],
        headers: HTTPFields = [:]
    ) {
        self.headers = headers
        self.status = status
        self.code = code
        self.detail = detail
        self.field = field
        self.extensions = extensions
    }

    static let typeBase = "https://baohao.dev/problems/"

    func response(language: Language) -> Response {
        var object: [String: ProblemValue] = extensions
        object["type"] = .string(Self.typeBase + code)
        object["title"] = .string(Messages.problemTitle(code, language))
        object["status"] = .int(Int(status.code))
        if let detail { object["detail"] = .string(detail) }
        if let field { object["field"] = .string(field) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(object)) ?? Data()
        var headers = self.headers
        headers[.contentType] = "application/problem+json; charset=utf-8"
        headers[.contentLanguage] = language == .zh ? "zh-CN" : "en"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// A JSON value inside a problem.
public indirect enum ProblemValue: Encodable, Sendable {
    case string(String)
    case int(Int)
    case array([ProblemValue])
    case object([String: ProblemValue])

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension Problem {
    /// The problem a domain error becomes.
    init(_ error: DomainError) {
        switch error {
        case .validation(let v):
            self.init(
                .unprocessableContent, error.code, detail: v.detail.map { "\(v.reason.rawValue): \($0)" } ?? v.reason.rawValue,
                field: v.field)
        case .invalidNumber(let field, let reason):
            self.init(.unprocessableContent, error.code, detail: "\(reason)", field: field)
        case .lineNotFound, .orderNotFound, .receiptNotFound:
            self.init(.notFound, error.code)
        case .planNotFound(let code):
            self.init(.unprocessableContent, error.code, detail: code, field: "plan")
        case .lineExists:
            self.init(.conflict, error.code, field: "msisdn")
        case .planExists(let code):
            self.init(.conflict, error.code, detail: code, field: "code")
        case .lineNotRechargeable(let status):
            self.init(.unprocessableContent, error.code, detail: status.rawValue, field: "msisdn")
        case .orderNotCancellable(let status):
            self.init(.conflict, error.code, detail: status.rawValue)
        case .idempotencyKeyReused:
            self.init(.conflict, error.code, field: "Idempotency-Key")
        case .paymentMethodUnavailable(let method):
            self.init(.unprocessableContent, error.code, detail: method, field: "payment_method")
        case .policyNotFound(let code):
            self.init(.unprocessableContent, error.code, detail: code, field: "policy")
        case .policyMismatch(let detail):
            self.init(.unprocessableContent, error.code, detail: detail, field: "policy")
        case .numberQuarantined:
            self.init(.conflict, error.code, field: "msisdn")
        case .staffNotFound:
            self.init(.notFound, error.code, field: "username")
        case .channelNotFound(let name):
            self.init(.notFound, error.code, detail: name, field: "channel")
        case .channelPolicyVersionConflict(let current):
            self.init(.conflict, error.code, detail: "current version \(current)", field: "version")
        case .shiftAlreadyOpen(let id):
            self.init(.conflict, error.code, detail: "open shift \(id)")
        case .noOpenShift:
            self.init(.conflict, error.code)
        case .idCheckUnavailable:
            self.init(.serviceUnavailable, error.code, detail: "BAOHAO_ID_HASH_KEY is not set")
        case .shiftNotFound:
            self.init(.notFound, error.code)
        case .shiftClosed:
            self.init(.conflict, error.code)
        case .saleNotFound:
            self.init(.notFound, error.code)
        case .paymentDeclined(let reason):
            self.init(.init(code: 402), error.code, detail: "the wallet refused the payment code (\(reason)); nothing was taken")
        case .shiftHasPendingPayments(let count):
            self.init(.conflict, error.code, detail: "\(count) payment-code sale(s) still wait for the payer")
        case .voidNotCovered(let available):
            self.init(
                .conflict, error.code,
                detail: "the line's balance \(available.formatted) no longer covers the sale; a refund is the way back now")
        case .partnerExists(let code):
            self.init(.conflict, error.code, detail: code, field: "code")
        case .partnerNotFound(let code):
            self.init(.notFound, error.code, detail: code, field: "code")
        case .partnerDisabled:
            self.init(.forbidden, error.code, detail: "this partner is disabled", extensions: ["code": .string(error.code)])
        case .referenceReused:
            self.init(
                .conflict, error.code, detail: "this reference was used before with another number or amount", field: "reference",
                extensions: ["code": .string(error.code)])
        case .insufficientFloat(let available, let cost):
            self.init(
                .init(code: 402), error.code,
                detail: "the float has \(available.decimalString) available; this top-up costs \(cost.decimalString)",
                extensions: [
                    "code": .string(error.code), "available": .int(Int(available.amountMinor)), "cost": .int(Int(cost.amountMinor)),
                ])
        case .partnerTopupNotFound:
            self.init(.notFound, error.code, field: "reference")
        case .callbackNotFound:
            self.init(.notFound, error.code, field: "event_id")
        case .refundNotFound:
            self.init(.notFound, error.code, field: "id")
        case .refundNeedsAnotherApprover:
            self.init(.forbidden, error.code, detail: "whoever requested a refund cannot decide it; another administrator must")
        case .refundAlreadyDecided(let status):
            self.init(.conflict, error.code, detail: status.rawValue, extensions: ["refund_status": .string(status.rawValue)])
        case .refundExceedsPaid(let refundable):
            self.init(
                .unprocessableContent, error.code, detail: "at most \(refundable.decimalString) is left to refund", field: "amount",
                extensions: ["refundable": refundable.problemValue])
        case .refundNotCovered(let refundable):
            self.init(
                .conflict, error.code,
                detail: "the line's balance no longer covers this refund; at most \(refundable.decimalString) can be refunded now",
                field: "amount", extensions: ["refundable": refundable.problemValue])
        case .refundNotAllowed(let status):
            self.init(.conflict, error.code, detail: "the order is \(status.rawValue)", field: "order_id")
        case .promotionExists(let code):
            self.init(.conflict, error.code, detail: "\(code) exists with other rules; end it and create another code", field: "code")
        case .voucherRefused:
            self.init(
                .unprocessableContent, error.code, detail: "this PIN cannot be redeemed (check it, or ask where the card was bought)",
                field: "pin")
        case .voucherThrottled(let seconds):
            self.init(
                .tooManyRequests, error.code, detail: "too many failed attempts; try again in \(seconds) s",
                extensions: ["retry_after": .int(seconds)], headers: [.retryAfter: String(seconds)])
        case .tooManyPendingOrders(let seconds):
            self.init(
                .tooManyRequests, error.code,
                detail: "this number already has unpaid orders waiting; pay or cancel one, or try again in \(seconds) s",
                field: "msisdn", headers: [.retryAfter: String(seconds)])
        case .busy(let seconds):
            self.init(
                .serviceUnavailable, error.code, detail: "the server is busy; try again in \(seconds) s",
                headers: [.retryAfter: String(seconds)])
        case .voucherKeyMissing:
            self.init(.serviceUnavailable, error.code, detail: "BAOHAO_VOUCHER_KEY is not set")
        case .voucherNotFound:
            self.init(.notFound, error.code, field: "serial")
        case .promotionNotFound(let code):
            self.init(.notFound, error.code, detail: code, field: "code")
        case .staffRoleNotAllowed(let role):
            self.init(.forbidden, error.code, detail: role.rawValue)
        case .outletExists(let code):
            self.init(.conflict, error.code, detail: code, field: "code")
        case .outletNotFound(let code):
            self.init(.notFound, error.code, detail: code, field: "outlet")
        case .providerUnavailable(let provider):
            self.init(.badGateway, error.code, detail: provider)
        case .importRejected(let report):
            self.init(
                .unprocessableContent, error.code, detail: "\(report.errors.count) bad row(s); nothing imported",
                extensions: [
                    "errors": .array(
                        report.errors.map { .object(["line": .int($0.row), "field": .string($0.field), "message": .string($0.message)]) })
                ])
        }
    }
}

extension Money {
    /// The API's money object, `{"amount": minor units, "currency": code}`, inside a problem.
    var problemValue: ProblemValue { .object(["amount": .int(Int(amountMinor)), "currency": .string(currency.code)]) }
}
