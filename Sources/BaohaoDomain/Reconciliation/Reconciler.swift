import Foundation

/// Asks providers about orders whose result never arrived, and applies what they say exactly as a
/// notification would be applied: a payment the provider reports is credited once even if its
/// notification is lost; a closed one fails the order. Bounded: a batch size per run, a number of
/// asks per order, exponential backoff between asks.
///
/// An application job: it reaches providers only through the ``PaymentGateway`` port, and tells
/// its caller what deserves an operator's attention through `note` (the caller logs it).
public struct Reconciler: Sendable {
    let recharges: RechargeService
    let reconciliation: ReconciliationService
    let gateways: PaymentGateways
    let clock: any WallClock
    let note: @Sendable (Note) -> Void

    /// What one ask found that an operator should hear about.
    public enum Note: Sendable {
        /// A payment whose notification was lost, credited now.
        case recovered(orderID: String)
        /// The provider reports a payment that does not match the order.
        case mismatch(orderID: String, reason: String)
        /// The provider could not be asked.
        case askFailed(provider: String, orderID: String, error: any Error)
    }

    public init(
        recharges: RechargeService, reconciliation: ReconciliationService, gateways: PaymentGateways, clock: any WallClock,
        note: @escaping @Sendable (Note) -> Void = { _ in }
    ) {
        self.recharges = recharges
        self.clock = clock
        self.reconciliation = reconciliation
        self.gateways = gateways
        self.note = note
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
        guard let provider = gateways.gateway(for: order.paymentMethod) else {
            // A method no provider serves by design (cash, a card on the counter's terminal): an
            // order left unpaid by a sale that did not complete has nobody to ask; it just expires.
            if !PaymentMethod.online.contains(order.paymentMethod) {
                run.notFound += 1
                return .notFound
            }
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
                    note(.recovered(orderID: order.id))
                case .rejected(let reason):
                    run.errors += 1
                    note(.mismatch(orderID: order.id, reason: "\(reason)"))
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
            note(.askFailed(provider: provider.name, orderID: order.id, error: error))
            return .error
        }
    }
}
