import Foundation

/// What the hotline's dialog asks of the rest of Baohao, one call an effect. ``IVRService``
/// implements it over the recharge service and the card port; the dialog's tests use a stub.
public protocol IVRActions: Sendable {
    /// Whether keyed-in digits (or the caller's number) name a line that takes a recharge.
    func lookUp(number: String) async -> IVRNumberCheck
    /// The IVR channel's smallest and largest amount; `nil` when the channel takes no recharge.
    func amountRange() async -> (minimum: Money, maximum: Money)?
    /// Face value, fee and total for a whole-yuan amount; `nil` outside the channel's rules.
    func quote(yuan: Int64, number: String) async -> Quote?
    /// Opens the order to pay; the call's `attempt` keys it, so a retried request opens it once.
    func openOrder(number: String, quote: Quote, attempt: Int) async -> RechargeOrder?
    /// Charges a keyed-in card for the order and credits it when paid.
    func charge(orderID: String, card: CardDetails) async -> IVRPaymentResult
    /// Records what a voice platform's payment connector charged, and credits it.
    func connectorPaid(orderID: String, result: ConnectorPaymentResult) async -> IVRPaymentResult
    /// The caller's line: balance and deadline; `nil` when the number is not a line.
    func balance(number: String) async -> IVRBalance?
    /// Cancels an order the caller left before paying.
    func cancel(orderID: String) async
    /// Redeems a recharge card onto the number: credited, or declined (one answer for every bad PIN).
    func redeemVoucher(number: String, pin: String) async -> IVRPaymentResult
}

/// What a keyed-in number turned out to be.
public enum IVRNumberCheck: Sendable, Hashable {
    /// A line that takes a recharge.
    case line
    /// Not a phone number.
    case invalid
    /// A number, but not one of our lines.
    case unknown
    /// Our line, but it takes no recharge now (reclaimed, closed).
    case notRechargeable
}

/// How a payment ended for the caller.
public enum IVRPaymentResult: Sendable, Hashable {
    /// 到账: the amount reached the line; the receipt number.
    case credited(amount: Money, receiptNumber: String)
    /// Not charged, and the decline code.
    case declined(reason: String)
    /// Charged or not is unknown yet; it completes (or not) without the caller.
    case pending
    /// The call has already made a recharge: one charge per call.
    case alreadyCharged
}

/// A line's balance and deadline, as the hotline reads them out.
public struct IVRBalance: Sendable, Hashable {
    public let balance: Money
    public let deadline: LocalDate?

    public init(balance: Money, deadline: LocalDate?) {
        self.balance = balance
        self.deadline = deadline
    }
}
