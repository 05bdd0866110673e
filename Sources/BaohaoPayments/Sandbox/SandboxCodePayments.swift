import BaohaoDomain
import Foundation

/// Payment codes in the sandbox, for demos and tests: the code's last digit picks the payer, as
/// DT One's sandbox picks outcomes from a number's last digits.
/// - `0`–`6`: paid at once;
/// - `7`: the payer confirms in the app; the first query says paying, the second paid;
/// - `8`: the payer never confirms (the charge is cancelled in the end);
/// - `9`: declined, `NOT_ENOUGH` (余额不足).
public actor SandboxCodePayments: CodePaymentGateway {
    public nonisolated let name = "sandbox"
    public nonisolated let method = PaymentMethod.sandbox
    public nonisolated let wallets: Set<CodeWallet> = [.alipay, .wechat]
    let provider: SandboxProvider
    let clock: any WallClock

    struct Trade {
        let lastDigit: Character
        let total: Money
        var queries = 0
        var cancelled = false
    }

    /// Charges the sandbox remembers, oldest dropped past ``capacity``.
    private var trades: [String: Trade] = [:]
    private var order: [String] = []
    static let capacity = 10_000

    public init(provider: SandboxProvider, clock: any WallClock) {
        self.provider = provider
        self.clock = clock
    }

    public func charge(_ request: CodePaymentRequest) async throws -> CodePaymentOutcome {
        guard let digit = request.code.last else { return .declined(reason: "AUTH_CODE_INVALID") }
        if trades[request.orderID] == nil {
            order.append(request.orderID)
            if order.count > Self.capacity { trades.removeValue(forKey: order.removeFirst()) }
        }
        trades[request.orderID] = Trade(lastDigit: digit, total: request.total)
        switch digit {
        case "7", "8": return .userPaying
        case "9": return .declined(reason: "NOT_ENOUGH")
        default: return .paid(paid(request.orderID, request.total))
        }
    }

    public func queryPayment(_ query: PaymentQuery) async throws -> PaymentQueryResult {
        guard var trade = trades[query.orderID] else { return .notFound }
        trade.queries += 1
        trades[query.orderID] = trade
        if trade.cancelled { return .closed }
        switch trade.lastDigit {
        case "7": return trade.queries >= 2 ? .paid(paid(query.orderID, trade.total)) : .pending
        case "8": return .pending
        case "9": return .closed
        default: return .paid(paid(query.orderID, trade.total))
        }
    }

    public func cancelCharge(orderID: String) async throws -> Bool {
        guard var trade = trades[orderID] else { return true }
        trade.cancelled = true
        trades[orderID] = trade
        return true
    }

    private func paid(_ orderID: String, _ total: Money) -> PaymentEvent {
        let transaction = provider.transactionID(orderID: orderID)
        return PaymentEvent(
            provider: name, eventID: "code:\(transaction)", orderID: orderID, providerTransactionID: transaction, outcome: .succeeded,
            amount: total, occurredAt: clock.now())
    }
}
