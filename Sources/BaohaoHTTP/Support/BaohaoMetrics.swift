import BaohaoDomain
import Prometheus

/// Business counters exported at `/metrics`.
public struct BaohaoMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    func orderCreated(channel: String) {
        registry.makeCounter(
            descriptor: Self.name("baohao_recharge_orders_created_total", "Recharge orders created, by channel"),
            labels: [("channel", channel)]
        ).increment()
    }

    func notification(provider: String, outcome: String) {
        registry.makeCounter(
            descriptor: Self.name("baohao_payment_notifications_total", "Payment notifications received, by provider and outcome"),
            labels: [("provider", provider), ("outcome", outcome)]
        ).increment()
    }

    func credited(channel: String, amountMinor: Int64) {
        registry.makeCounter(
            descriptor: Self.name("baohao_recharges_credited_total", "Recharges credited, by channel"), labels: [("channel", channel)]
        ).increment()
        registry.makeCounter(
            descriptor: Self.name("baohao_recharged_amount_minor_total", "Amount credited in minor units (fen), by channel"),
            labels: [("channel", channel)]
        ).increment(by: amountMinor)
    }

    /// Hotline calls started (by front end), steps reached and outcomes.
    func ivr(_ observation: IVRObservation) {
        switch observation {
        case .started(let frontEnd):
            registry.makeCounter(
                descriptor: Self.name("baohao_ivr_calls_total", "Hotline calls answered, by front end"),
                labels: [("front_end", frontEnd.rawValue)]
            ).increment()
        case .reached(let step):
            registry.makeCounter(
                descriptor: Self.name("baohao_ivr_steps_total", "Hotline dialog steps reached"), labels: [("step", step.rawValue)]
            ).increment()
        case .ended(let outcome):
            registry.makeCounter(
                descriptor: Self.name("baohao_ivr_outcomes_total", "How hotline calls ended"), labels: [("outcome", outcome.rawValue)]
            ).increment()
        }
    }
}
