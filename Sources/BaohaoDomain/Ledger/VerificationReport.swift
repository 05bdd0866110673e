/// The result of recomputing the books (`baohao verify`).
public struct VerificationReport: Sendable, Hashable {
    /// One difference found.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// A stable code: `unbalanced_transfer`, `balance_mismatch`, `credited_without_transfer`, …
        public let kind: String
        /// The transfer, line or order concerned.
        public let subject: String
        public let detail: String

        public init(kind: String, subject: String, detail: String) {
            self.kind = kind
            self.subject = subject
            self.detail = detail
        }

        public var description: String { "\(kind) \(subject): \(detail)" }
    }

    public var transfersChecked: Int
    public var linesChecked: Int
    public var creditedOrdersChecked: Int
    public var problems: [Problem]

    public var ok: Bool { problems.isEmpty }

    public init(transfersChecked: Int, linesChecked: Int, creditedOrdersChecked: Int, problems: [Problem]) {
        self.transfersChecked = transfersChecked
        self.linesChecked = linesChecked
        self.creditedOrdersChecked = creditedOrdersChecked
        self.problems = problems
    }
}
