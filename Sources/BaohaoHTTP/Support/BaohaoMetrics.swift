import BaohaoDomain
import Prometheus

/// Business counters exported at `/metrics`.
public struct BaohaoMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    func orderCreated(channel: String) {
        registry.makeCounter(name: "baohao_recharge_orders_created_total", labels: [("channel", channel)]).increment()
    }

    func notification(provider: String, outcome: String) {
        registry.makeCounter(name: "baohao_payment_notifications_total", labels: [("provider", provider), ("outcome", outcome)]).increment()
    }

    func credited(channel: String, amountMinor: Int64) {
        registry.makeCounter(name: "baohao_recharges_credited_total", labels: [("channel", channel)]).increment()
        registry.makeCounter(name: "baohao_recharged_amount_minor_total", labels: [("channel", channel)]).increment(by: amountMinor)
    }

    /// Hotline calls started (by front end), steps reached and outcomes.
    func ivr(_ observation: IVRObservation) {
        switch observation {
        case .started(let frontEnd):
            registry.makeCounter(name: "baohao_ivr_calls_total", labels: [("front_end", frontEnd.rawValue)]).increment()
        case .reached(let step):
            registry.makeCounter(name: "baohao_ivr_steps_total", labels: [("step", step.rawValue)]).increment()
        case .ended(let outcome):
            registry.makeCounter(name: "baohao_ivr_outcomes_total", labels: [("outcome", outcome.rawValue)]).increment()
        }
    }
}
