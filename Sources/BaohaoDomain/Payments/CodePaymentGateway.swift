import Foundation

/// Which wallet a payment code (付款码) belongs to.
public enum CodeWallet: String, Sendable, Hashable, CaseIterable {
    case alipay
    case wechat

    /// Whether `code` looks like this wallet's payment code: Alipay's are 16–24 digits starting
    /// 25–30, WeChat Pay's 18 digits starting 10–15.
    public func accepts(_ code: String) -> Bool {
        guard code.isAllASCIIDigits, let prefix = Int(code.prefix(2)) else { return false }
        switch self {
        case .alipay: return (16...24).contains(code.count) && (25...30).contains(prefix)
        case .wechat: return code.count == 18 && (10...15).contains(prefix)
        }
    }
}

/// A payment-code charge: the clerk scanned the payer's code for an order's total.
public struct CodePaymentRequest: Sendable, Hashable {
    public let orderID: String
    public let total: Money
    /// The scanned code (auth_code). Never stored or logged.
    public let code: String
    public let subject: String
    /// The outlet the payer stands in, for the provider's store field.
    public let outletCode: String

    public init(orderID: String, total: Money, code: String, subject: String, outletCode: String) {
        self.orderID = orderID
        self.total = total
        self.code = code
        self.subject = subject
        self.outletCode = outletCode
    }
}

/// What the provider answered to a charge.
public enum CodePaymentOutcome: Sendable, Hashable {
    /// The money was taken.
    case paid(PaymentEvent)
    /// The payer must confirm in the app (a password, a large amount): ask again later.
    case userPaying
    /// Refused (insufficient funds, an expired code…): nothing was taken.
    case declined(reason: String)
    /// The answer is unknown (a timeout, a system error): ask the provider, never assume.
    case unknown
}

/// The narrow port payment codes go through: charge, ask, cancel. A charge that never completes is
/// cancelled (Alipay `alipay.trade.cancel`, WeChat Pay reverse), which also refunds it if the
/// payer confirmed at the last moment.
public protocol CodePaymentGateway: Sendable {
    /// The provider's name, as in ledger accounts and payment keys.
    var name: String { get }
    /// The order's payment method for charges through this gateway.
    var method: PaymentMethod { get }
    /// The wallets whose codes it takes.
    var wallets: Set<CodeWallet> { get }

    func charge(_ request: CodePaymentRequest) async throws -> CodePaymentOutcome
    func queryPayment(_ query: PaymentQuery) async throws -> PaymentQueryResult
    /// Cancels (reverses) the charge for an order; `true` once the provider confirms it.
    func cancelCharge(orderID: String) async throws -> Bool
}

/// How long a code payment waiting for the payer is followed: the delays before each query (the
/// providers ask for a query every few seconds, about 30 s in all), how many of them the clerk's
/// request waits for before answering `pending_payment`, and then a cancel.
public struct CodePaymentSchedule: Sendable, Hashable {
    public let queryDelays: [Duration]
    public let queriesBeforeAnswering: Int

    public init(queryDelays: [Duration], queriesBeforeAnswering: Int) {
        self.queryDelays = queryDelays
        self.queriesBeforeAnswering = min(queriesBeforeAnswering, queryDelays.count)
    }

    /// 2, 3, 5, 5, 5, 5, 5 s (30 s), answering the clerk after the first two (5 s).
    public static let standard = CodePaymentSchedule(
        queryDelays: [.seconds(2), .seconds(3), .seconds(5), .seconds(5), .seconds(5), .seconds(5), .seconds(5)], queriesBeforeAnswering: 2)
}
