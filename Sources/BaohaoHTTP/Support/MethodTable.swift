import Foundation
import Hummingbird

/// Which methods each route template serves, so a request with another method gets
/// 405 with an `Allow` header instead of 404. Filled once, after every route is registered.
final class MethodTable: @unchecked Sendable {
    private let lock = NSLock()
    private var routes: [(segments: [Substring], methods: Set<String>)] = []

    func fill(from routes: [(path: String, method: String)]) {
        var table: [String: Set<String>] = [:]
        for route in routes { table[route.path, default: []].insert(route.method) }
        lock.withLock {
            self.routes = table.map { (Self.segments($0.key), $0.value) }
        }
    }

    /// Whether any route serves `method`.
    func serves(_ method: HTTPRequest.Method) -> Bool {
        lock.withLock { routes.contains { $0.methods.contains(method.rawValue) } }
    }

    /// The methods served at `path`, or `nil` when no route matches it.
    func allowed(at path: String) -> [String]? {
        let requested = Self.segments(path)
        let matches = lock.withLock {
            routes.filter { route in
                route.segments.count == requested.count
                    && zip(route.segments, requested).allSatisfy { pattern, value in Self.isCapture(pattern) || pattern == value }
            }
        }
        // As the router does, a literal segment wins over a capture: only the most specific routes count.
        let captures = { (route: (segments: [Substring], methods: Set<String>)) in route.segments.filter(Self.isCapture).count }
        guard let fewest = matches.map(captures).min() else { return nil }
        return matches.filter { captures($0) == fewest }.reduce(into: Set<String>()) { $0.formUnion($1.methods) }.sorted()
    }

    static func isCapture(_ segment: Substring) -> Bool {
        segment.hasPrefix("{") || segment.hasPrefix(":")
    }

    static func segments(_ path: String) -> [Substring] {
        path.split(separator: "?", maxSplits: 1).first?.split(separator: "/") ?? []
    }
}
