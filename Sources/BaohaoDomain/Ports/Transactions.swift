import Foundation

/// A store seen through some of its ports: a service holding `Transactions<any StaffRows>` can
/// call only what ``StaffRows`` declares, inside reads and writes of the one store (so several
/// ports still share one transaction). What a service may touch is in its type, checked by the
/// compiler, instead of the whole ``StoreSession``.
public struct Transactions<Rows: Sendable>: Sendable {
    let store: any RechargeStore
    let narrow: @Sendable (any StoreSession) -> Rows

    /// `store` seen through `narrow`, usually `{ $0 }`: the session upcast to the ports named by `Rows`.
    public init(_ store: any RechargeStore, as narrow: @escaping @Sendable (any StoreSession) -> Rows) {
        self.store = store
        self.narrow = narrow
    }

    /// Runs `body` against committed data; see ``RechargeStore/read(_:)``.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Rows) async throws -> T) async throws -> T {
        let narrow = self.narrow
        return try await store.read { try await body(narrow($0)) }
    }

    /// Runs `body`, a few indexed lookups, against committed data; see ``RechargeStore/lookup(_:)``.
    public func lookup<T: Sendable>(_ body: @escaping @Sendable (Rows) async throws -> T) async throws -> T {
        let narrow = self.narrow
        return try await store.lookup { try await body(narrow($0)) }
    }

    /// Runs `body` in one transaction, returning once it is durable; see ``RechargeStore/write(_:)``.
    public func write<T: Sendable>(_ body: @escaping @Sendable (Rows) async throws -> T) async throws -> T {
        let narrow = self.narrow
        return try await store.write { try await body(narrow($0)) }
    }

    /// Applies one payment through the narrow ``CreditRows``; see ``RechargeStore/credit(_:_:)``.
    public func credit<T: Sendable>(
        _ key: PaymentKey, _ decide: @escaping @Sendable (CreditSnapshot) throws -> (T, CreditChanges)
    ) async throws -> T {
        try await store.credit(key, decide)
    }
}
