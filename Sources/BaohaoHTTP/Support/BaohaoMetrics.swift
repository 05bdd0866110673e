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
}
