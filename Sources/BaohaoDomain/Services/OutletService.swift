import Foundation

/// The business halls clerks sell at: added, listed and disabled by the operator (CLI and admin API).
public struct OutletService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any OutletRows>
    let clock: any WallClock

    public init(store: any RechargeStore, clock: any WallClock) {
        self.store = Transactions(store) { $0 }
        self.clock = clock
    }

    /// Adds an outlet. Throws a validation error naming the field, or ``DomainError/outletExists(_:)``.
    public func add(code input: String, name: String, address: String) async throws -> Outlet {
        let code = try Outlet.checkedCode(input)
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let address = address.trimmingCharacters(in: .whitespacesAndNewlines)
        for (field, text) in [("name", name), ("address", address)]
        where text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format })
        {
            throw DomainError.validation(ValidationError(field: field, reason: .invalidFormat, detail: "no control characters"))
        }
        guard (1...64).contains(name.count) else {
            throw DomainError.validation(ValidationError(field: "name", reason: .outOfRange, detail: "1 to 64 characters"))
        }
        guard (1...200).contains(address.count) else {
            throw DomainError.validation(ValidationError(field: "address", reason: .outOfRange, detail: "1 to 200 characters"))
        }
        let outlet = Outlet(code: code, name: name, address: address, createdAt: clock.now())
        guard try await store.write({ try await $0.insertOutlet(outlet) }) else { throw DomainError.outletExists(code) }
        return outlet
    }

    /// Every outlet, by code.
    public func list() async throws -> [Outlet] {
        try await store.read { try await $0.outlets() }
    }

    /// One outlet; ``DomainError/outletNotFound(_:)`` if there is none with that code.
    public func outlet(code input: String) async throws -> Outlet {
        let code = input.trimmingCharacters(in: .whitespaces).uppercased()
        guard let outlet = try await store.read({ try await $0.outlet(code: code) }) else { throw DomainError.outletNotFound(code) }
        return outlet
    }

    /// Stops an outlet selling; its shifts and reports stay. Disabling twice changes nothing.
    public func disable(code input: String) async throws -> Outlet {
        let code = input.trimmingCharacters(in: .whitespaces).uppercased()
        let now = clock.now()
        return try await store.write { session in
            guard var outlet = try await session.outlet(code: code) else { throw DomainError.outletNotFound(code) }
            guard outlet.isEnabled else { return outlet }
            outlet.disabledAt = now
            try await session.updateOutlet(outlet)
            return outlet
        }
    }
}
