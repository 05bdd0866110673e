import Foundation

/// Where a line stands in its life. Recharging is possible in every status but `reclaimed`.
public enum LineStatus: String, Sendable, Codable, CaseIterable {
    /// In service.
    case active
    /// Past its deadline but still in service for a grace period (e.g. incoming only).
    case grace
    /// Outgoing barred (单停), usually for arrears.
    case suspended
    /// Fully barred (双停).
    case barred
    /// Cancelled and taken back by the operator (销号 / 回收); the number may be reused later.
    case reclaimed

    public var acceptsRecharge: Bool { self != .reclaimed }

    public func displayName(_ language: Language) -> String {
        switch (self, language) {
        case (.active, .zh): return "正常"
        case (.active, .en): return "Active"
        case (.grace, .zh): return "宽限期"
        case (.grace, .en): return "Grace period"
        case (.suspended, .zh): return "单停"
        case (.suspended, .en): return "Outgoing barred"
        case (.barred, .zh): return "双停"
        case (.barred, .en): return "Fully barred"
        case (.reclaimed, .zh): return "已回收"
        case (.reclaimed, .en): return "Reclaimed"
        }
    }
}

/// A prepaid line: one number on one plan, with its cached balance (余额).
///
/// The balance is a cache of the ledger: every change is a ledger transfer in the same database
/// transaction, and `baohao verify` recomputes it.
public struct Line: Hashable, Sendable {
    public let id: String
    public let msisdn: MSISDN
    public var mobileOperator: MobileOperator
    public var planCode: String
    public var holderName: String
    public var status: LineStatus
    public var balance: Money
    public let createdAt: Date
    /// The retention policy the line's plan pointed at when it was added; `nil`: no lifecycle.
    public var policyCode: String?
    /// Where the line stands under its policy.
    public var retention: RetentionState

    public init(
        id: String, msisdn: MSISDN, mobileOperator: MobileOperator, planCode: String, holderName: String,
        status: LineStatus, balance: Money, createdAt: Date, policyCode: String? = nil, retention: RetentionState? = nil
    ) {
        self.policyCode = policyCode
        self.retention = retention ?? RetentionState(stageSince: createdAt, lastActivityAt: createdAt)
        self.id = id
        self.msisdn = msisdn
        self.mobileOperator = mobileOperator
        self.planCode = planCode
        self.holderName = holderName
        self.status = status
        self.balance = balance
        self.createdAt = createdAt
    }

    /// Longest holder name accepted.
    public static let maximumHolderNameLength = 64

    /// Checks a holder name: trimmed, non-empty, bounded length, no control characters and no
    /// bidirectional overrides or isolates (U+202A–U+202E, U+2066–U+2069), which make a name
    /// display as something else on a screen or a receipt.
    public static func validatedHolderName(_ raw: String) throws(ValidationError) -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw ValidationError(field: "holder_name", reason: .missing) }
        guard name.count <= maximumHolderNameLength else { throw ValidationError(field: "holder_name", reason: .tooLong) }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || isBidiControl($0) }) else {
            throw ValidationError(field: "holder_name", reason: .invalidFormat, detail: "control or bidirectional formatting characters")
        }
        return name
    }

    /// Bidirectional embeddings, overrides and isolates.
    static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

}
