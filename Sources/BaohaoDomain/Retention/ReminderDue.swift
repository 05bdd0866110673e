import Foundation

/// A reminder the engine decided is due. The store keeps at most one per line and `key`
/// (kind, lead, stage and deadline), so deciding it again is harmless.
public struct ReminderDue: Hashable, Sendable {
    public enum Kind: String, Sendable, Codable {
        /// Days before a deadline.
        case deadline
        /// The line changed stage.
        case stageChange = "stage_change"
        case lowBalance = "low_balance"
    }

    public let lineID: String
    public let kind: Kind
    public let key: String
    /// The stage the reminder is about (the coming one, or the one just entered).
    public let stage: LineStatus
    public let deadline: LocalDate?
    public let createdAt: Date

    public init(lineID: String, kind: Kind, key: String, stage: LineStatus, deadline: LocalDate?, createdAt: Date) {
        self.lineID = lineID
        self.kind = kind
        self.key = key
        self.stage = stage
        self.deadline = deadline
        self.createdAt = createdAt
    }
}
