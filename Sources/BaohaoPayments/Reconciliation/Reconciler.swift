import BaohaoDomain
import Foundation
import Logging

/// Asks providers about orders whose result never arrived, and applies what they say exactly as a
/// notification would be applied: a payment the provider reports is credited once even if its
/// notification is lost; a closed one fails the order. Bounded: a batch size per run, a number of
/// asks per order, exponential backoff between asks.
public struct Reconciler: Sendable {
    let recharges: RechargeService
    let reconciliation: ReconciliationService
    let payments: PaymentProviderRegistry
    let clock: any WallClock
    let logger: Logger

    public init(
        recharges: RechargeService, reconciliation: ReconciliationService, payments: PaymentProviderRegistry, clock: any WallClock,
        logger: Logger
    ) {
        self.recharges = recharges
        self.clock = clock
        self.reconciliation = reconciliation
        self.payments = payments
        self.logger = logger
    }

    /// What one run did.
    public struct Run: Sendable, Hashable, Codable {
        public var asked = 0
        public var credited = 0
        public var alreadyApplied = 0
        public var closed = 0
        public var pending = 0
        public var notFound = 0
        public var errors = 0

        enum CodingKeys: String, CodingKey {
            case asked, credited, closed, pending, errors
            case alreadyApplied = "already_applied"
            case notFound = "not_found"
        }
    }

    /// Asks about up to `limit` due orders.
    public func runOnce(limit: Int = 100) async throws -> Run {
        var run = Run()
        for candidate in try await reconciliation.claimDue(limit: limit) {
            run.asked += 1
            let result = await ask(candidate, run: &run)
            try await reconciliation.record(candidate, result: result)
        }
        return run
    }

    func ask(_ candidate: ReconciliationCandidate, run: inout Run) async -> ReconciliationResult {
        let order = candidate.order
        guard let provider = payments.provider(for: order.paymentMethod) else {
            run.errors += 1
            return .error
        }
        do {
            let answer = try await provider.queryPayment(
                PaymentQuery(orderID: order.id, total: order.total, providerReference: candidate.providerReference))
            switch answer {
            case .paid(let event):
                guard event.orderID == order.id else {
                    run.errors += 1
                    return .error
                }
                switch try await recharges.applyPayment(event) {
                case .credited:
                    run.credited += 1
                    logger.notice("reconciler credited a payment whose notification was lost", metadata: ["order_id": "\(order.id)"])
                case .rejected(let reason):
                    run.errors += 1
                    logger.error(
                        "provider reports a payment that does not match the order",
                        metadata: ["order_id": "\(order.id)", "reason": "\(reason)"])
                    return .error
                default:
                    run.alreadyApplied += 1
                }
                return .paid
            case .closed:
                if order.status == .pendingPayment {
                    _ = try await recharges.applyPayment(
                        PaymentEvent(
                            provider: provider.name, eventID: "query:closed:\(order.id)", orderID: order.id,
                            providerTransactionID: "closed:\(order.id)", outcome: .failed, amount: order.total, occurredAt: clock.now()))
                }
                run.closed += 1
                return .closed
            case .pending:
                run.pending += 1
                return .pending
            case .notFound:
                run.notFound += 1
                return .notFound
            }
        } catch {
            run.errors += 1
            logger.warning(
                "reconciler could not ask the provider",
                metadata: ["provider": "\(provider.name)", "order_id": "\(order.id)", "error": "\(Self.describe(error))"])
            return .error
        }
    }

    /// A short description safe for logs (no URLs with secrets, no bodies).
    static func describe(_ error: any Error) -> String {
        if let call = error as? ProviderCallError { return "\(call)" }
        return String(describing: type(of: error))
    }
}
