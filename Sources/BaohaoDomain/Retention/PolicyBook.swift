import Foundation

/// Every retention policy this server knows, by code and version.
public struct PolicyBook: Sendable {
    /// Versions of each code, oldest effective date first.
    let versions: [String: [RetentionPolicy]]

    /// Refuses two files with the same code and version, or the same code and effective date.
    public init(_ policies: [RetentionPolicy]) throws(PolicyLoadError) {
        var versions: [String: [RetentionPolicy]] = [:]
        for policy in policies {
            if versions[policy.code, default: []].contains(where: {
                $0.version == policy.version || $0.effectiveFrom == policy.effectiveFrom
            }) {
                throw PolicyLoadError(
                    file: policy.code, line: 1, reason: "two files give \(policy.code) the same version or the same effective date")
            }
            versions[policy.code, default: []].append(policy)
        }
        self.versions = versions.mapValues { $0.sorted { $0.effectiveFrom < $1.effectiveFrom } }
    }

    /// The version of `code` in force at `now`: the newest already effective (the oldest if none is yet).
    public func policy(code: String, at now: Date) -> RetentionPolicy? {
        guard let list = versions[code], let first = list.first else { return nil }
        let today = LocalDate(now, in: first.timeZone)
        return list.last(where: { $0.effectiveFrom <= today }) ?? first
    }

    /// The version of the policy `line`'s plan follows, in force at `now`; `nil` for no policy.
    public func policy(for line: Line, at now: Date) -> RetentionPolicy? {
        line.policyCode.flatMap { policy(code: $0, at: now) }
    }

    /// Where `line` stands at `now` under its plan's policy: stage dates, deadline, keep-alive action.
    public func assess(_ line: Line, at now: Date) -> RetentionAssessment {
        RetentionEngine.assess(line, policy: policy(for: line, at: now), now: now)
    }

    /// Where `line` stands at `now`: under its plan's policy, or, when the plan follows none, by
    /// the plan's monthly fee against the balance (``RetentionEngine/assess(_:plan:now:)``).
    public func assess(_ line: Line, plan: Plan?, at now: Date) -> RetentionAssessment {
        if let policy = policy(for: line, at: now) { return RetentionEngine.assess(line, policy: policy, now: now) }
        guard let plan, plan.code == line.planCode else { return RetentionEngine.assess(line, policy: nil, now: now) }
        return RetentionEngine.assess(line, plan: plan, now: now)
    }

    /// No policies: lines follow no lifecycle.
    public static let empty = try! PolicyBook([])

    /// The shipped policies, loaded once (empty if the bundle cannot be read).
    public static let shippedBook: PolicyBook = (try? standard()) ?? empty

    public func contains(code: String) -> Bool { versions[code] != nil }

    /// Every version of every policy, by code then version.
    public var all: [RetentionPolicy] {
        versions.keys.sorted().flatMap { versions[$0]!.sorted { $0.version < $1.version } }
    }

    /// The policies shipped with Baohao (`Sources/BaohaoDomain/Resources/policies`).
    public static func shipped() throws -> [RetentionPolicy] {
        guard let folder = Bundle.module.url(forResource: "policies", withExtension: nil) else { return [] }
        return try PolicyLoader.load(directory: folder)
    }

    /// The shipped policies plus every `*.json` in `directory` (an operator's own files).
    public static func standard(extraDirectory directory: URL? = nil) throws -> PolicyBook {
        var policies = try shipped()
        if let directory { policies += try PolicyLoader.load(directory: directory) }
        return try PolicyBook(policies)
    }
}
