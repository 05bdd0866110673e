import BaohaoDomain
import BaohaoHTTP
import Logging

extension AppConfiguration {
    /// ``ConnectionLimits`` from `BAOHAO_MAX_CONNECTIONS`, `BAOHAO_MAX_CONNECTIONS_PER_ADDRESS` and the
    /// `BAOHAO_*_TIMEOUT_SECONDS` settings, fitted to the file-descriptor budget.
    func connectionLimits(logger: Logger) throws -> ConnectionLimits {
        let asked = environment["BAOHAO_MAX_CONNECTIONS"].map { !$0.isEmpty } ?? false
        let wanted = try count("BAOHAO_MAX_CONNECTIONS", default: ConnectionLimits.defaultMaximum, range: 16...1_000_000)
        let maximum = try FileDescriptorBudget.fit(
            connections: wanted, explicit: asked, reserve: FileDescriptorBudget.reserve(databaseConnections: databaseConnections),
            logger: logger)
        return ConnectionLimits(
            maximum: maximum,
            perAddress: try count(
                "BAOHAO_MAX_CONNECTIONS_PER_ADDRESS", default: ConnectionLimits.defaultPerAddress, range: 1...1_000_000),
            headerTimeout: .seconds(Int64(try seconds("BAOHAO_HEADER_TIMEOUT_SECONDS", default: 10, range: 1...600))),
            bodyTimeout: .seconds(Int64(try seconds("BAOHAO_BODY_TIMEOUT_SECONDS", default: 30, range: 1...3600))),
            idleTimeout: .seconds(Int64(try seconds("BAOHAO_IDLE_TIMEOUT_SECONDS", default: 30, range: 1...3600))))
    }
}

extension AppConfiguration {
    /// Bounds on the order page's live updates: `BAOHAO_SSE_PER_ORDER`, `BAOHAO_SSE_PER_CLIENT`,
    /// `BAOHAO_SSE_MAX_STREAMS` and `BAOHAO_SSE_HEARTBEAT_SECONDS`.
    func orderWatchLimits() throws -> OrderWatch.Limits {
        let standard = OrderWatch.Limits()
        return OrderWatch.Limits(
            perOrder: try count("BAOHAO_SSE_PER_ORDER", default: standard.perOrder, range: 1...1_000),
            perClient: try count("BAOHAO_SSE_PER_CLIENT", default: standard.perClient, range: 1...100_000),
            total: try count("BAOHAO_SSE_MAX_STREAMS", default: standard.total, range: 1...1_000_000),
            heartbeat: .seconds(try seconds("BAOHAO_SSE_HEARTBEAT_SECONDS", default: 15, range: 1...300)))
    }
}

extension AppConfiguration {
    /// `BAOHAO_PENDING_ORDERS_PER_NUMBER`: unpaid online orders one number may have waiting (default
    /// 5; 0 for no limit).
    func pendingOrdersPerNumber() throws -> Int? {
        let limit = try count("BAOHAO_PENDING_ORDERS_PER_NUMBER", default: 5, range: 0...1_000_000)
        return limit == 0 ? nil : limit
    }
}
