import BaohaoDomain
import Foundation

/// A plan in the admin API.
struct PlanRepresentation: Codable, Sendable {
    let code: String
    let name: String
    /// The name in the English interface; without it, the code and fee are shown there.
    let nameEN: String?
    let monthlyFee: Money
    /// The retention policy code (`GET /v1/admin/policies`), if lines on the plan follow one.
    let policy: String?

    enum CodingKeys: String, CodingKey {
        case code, name, policy
        case nameEN = "name_en"
        case monthlyFee = "monthly_fee"
    }

    init(_ plan: Plan) {
        code = plan.code
        name = plan.name
        nameEN = plan.englishName
        monthlyFee = plan.monthlyFee
        policy = plan.policyCode
    }
}

/// A line as the operator sees it: full number, balance and first deadline.
struct LineRepresentation: Encodable, Sendable {
    let id: String
    let msisdn: String
    let msisdnMasked: String
    let `operator`: String
    let plan: String
    let holderName: String
    let status: String
    let balance: Money
    let deadline: String?
    let createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, msisdn, plan, status, balance, deadline
        case msisdnMasked = "msisdn_masked"
        case `operator` = "operator"
        case holderName = "holder_name"
        case createdAt = "created_at"
    }

    init(_ line: Line, assessment: RetentionAssessment) {
        id = line.id
        msisdn = line.msisdn.e164
        msisdnMasked = line.msisdn.masked
        self.operator = line.mobileOperator.rawValue
        self.plan = line.planCode
        holderName = line.holderName
        status = line.status.rawValue
        balance = line.balance
        deadline = assessment.deadline?.iso
        createdAt = ISO8601.string(line.createdAt)
    }
}

/// A ledger transfer in the admin API.
struct TransferRepresentation: Encodable, Sendable {
    struct PostingRepresentation: Encodable, Sendable {
        let account: String
        let amount: Money
    }

    let id: String
    let kind: String
    let orderID: String?
    /// The transfer this one reverses (a void, a refund, a cancelled refund), or `null`.
    let reverses: String?
    let createdAt: String
    let postings: [PostingRepresentation]

    enum CodingKeys: String, CodingKey {
        case id, kind, postings, reverses
        case orderID = "order_id"
        case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encode(orderID, forKey: .orderID)
        try c.encode(reverses, forKey: .reverses)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(postings, forKey: .postings)
    }

    init(_ transfer: Transfer) {
        id = transfer.id
        kind = transfer.kind.rawValue
        orderID = transfer.orderID
        reverses = transfer.reverses
        createdAt = ISO8601.string(transfer.createdAt)
        postings = transfer.postings.map { PostingRepresentation(account: $0.account.code, amount: $0.amount) }
    }
}

/// A recorded payment notification in the admin API.
struct NotificationRepresentation: Encodable, Sendable {
    let id: String
    let provider: String
    let eventID: String?
    let orderID: String?
    let providerTransactionID: String?
    let outcome: String
    let reason: String?
    let receivedAt: String

    enum CodingKeys: String, CodingKey {
        case id, provider, outcome, reason
        case eventID = "event_id"
        case orderID = "order_id"
        case providerTransactionID = "provider_txn_id"
        case receivedAt = "received_at"
    }

    init(_ record: NotificationRecord) {
        id = record.id
        provider = record.provider
        eventID = record.eventID
        orderID = record.orderID
        providerTransactionID = record.providerTransactionID
        outcome = record.outcome.rawValue
        reason = record.reason
        receivedAt = ISO8601.string(record.receivedAt)
    }
}

/// `baohao verify`'s report in the admin API.
struct VerificationRepresentation: Encodable, Sendable {
    struct ProblemRepresentation: Encodable, Sendable {
        let kind: String
        let subject: String
        let detail: String
    }

    let ok: Bool
    let transfersChecked: Int
    let linesChecked: Int
    let creditedOrdersChecked: Int
    let problems: [ProblemRepresentation]

    enum CodingKeys: String, CodingKey {
        case ok, problems
        case transfersChecked = "transfers_checked"
        case linesChecked = "lines_checked"
        case creditedOrdersChecked = "credited_orders_checked"
    }

    init(_ report: VerificationReport) {
        ok = report.ok
        transfersChecked = report.transfersChecked
        linesChecked = report.linesChecked
        creditedOrdersChecked = report.creditedOrdersChecked
        problems = report.problems.map { ProblemRepresentation(kind: $0.kind, subject: $0.subject, detail: $0.detail) }
    }
}
