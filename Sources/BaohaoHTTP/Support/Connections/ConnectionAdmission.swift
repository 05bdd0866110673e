import Foundation
import NIOCore
import Prometheus

/// Counts open connections, in total and per client address, and turns away those over
/// ``ConnectionLimits``: a refused connection is closed before any byte of it is parsed.
public final class ConnectionAdmission: @unchecked Sendable {
    /// Why a connection was turned away.
    public enum Refusal: String, Sendable {
        case total
        case address
    }

    private let lock = NSLock()
    private var open = 0
    private var perAddress: [String: Int] = [:]
    let limits: ConnectionLimits
    let exempt: Set<String>
    private let registry: PrometheusCollectorRegistry?

    /// - Parameter exempt: addresses without a per-address cap (trusted reverse proxies).
    public init(limits: ConnectionLimits, exempt: Set<String>, registry: PrometheusCollectorRegistry? = nil) {
        self.limits = limits
        self.exempt = exempt
        self.registry = registry
    }

    /// Connections open now.
    public var openConnections: Int { lock.withLock { open } }

    /// Takes a place for a connection from `address`, or says why there is none.
    public func admit(_ address: String?) -> Refusal? {
        let key = address.flatMap { exempt.contains($0) ? nil : $0 }
        let refusal: Refusal? = lock.withLock {
            if open >= limits.maximum { return .total }
            if let key, perAddress[key, default: 0] >= limits.perAddress { return .address }
            open += 1
            if let key { perAddress[key, default: 0] += 1 }
            return nil
        }
        if let refusal {
            registry?.makeCounter(name: "baohao_connections_refused_total", labels: [("reason", refusal.rawValue)]).increment()
        } else {
            registry?.makeGauge(name: "baohao_connections_open").increment()
        }
        return refusal
    }

    /// Gives back the place taken by ``admit(_:)`` for `address`.
    public func release(_ address: String?) {
        let key = address.flatMap { exempt.contains($0) ? nil : $0 }
        lock.withLock {
            open -= 1
            if let key {
                let left = perAddress[key, default: 1] - 1
                perAddress[key] = left > 0 ? left : nil
            }
        }
        registry?.makeGauge(name: "baohao_connections_open").decrement()
    }

    func closed(_ reason: ConnectionDeadlines.Phase) {
        registry?.makeCounter(name: "baohao_connections_timed_out_total", labels: [("phase", reason.rawValue)]).increment()
    }
}
