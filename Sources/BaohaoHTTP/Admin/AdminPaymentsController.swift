import BaohaoDomain
import BaohaoPayments
import Foundation
import Hummingbird
import Logging

/// The operator's payment tools under `/v1/admin`: daily settlement against a provider's
/// statement, and a reconciliation run on demand.
struct AdminPaymentsController<Context: StaffIdentityContext> {
    /// `BAOHAO_ADMIN_TOKEN`; `nil`: only admins' staff tokens are accepted.
    let adminToken: String?
    let payments: PaymentProviderRegistry
    /// Makes the reconciler, its notes logged to the given logger.
    let reconciler: @Sendable (Logger) -> Reconciler
    let settlement: SettlementService
    let staff: StaffService
    /// Largest statement body (about 200,000 lines).
    static var maximumStatementBytes: Int { 32 * 1024 * 1024 }

    func addRoutes(to router: Router<Context>) {
        let group = router.group("/v1/admin").add(
            middleware: AdminAuthMiddleware<Context>(token: self.adminToken, staff: self.staff))
        group.post("/settlements/:provider", use: settle)
        group.post("/reconciliation/run", use: reconcile)
    }

    /// `text/csv` statement for `?day=YYYY-MM-DD`: `provider_txn_id,order_id,amount,currency,paid_at`.
    @Sendable func settle(_ request: Request, context: Context) async throws -> JSONResponse<SettlementRepresentation> {
        let provider = try context.parameters.require("provider")
        guard self.payments.provider(named: provider) != nil else { throw Problem(.notFound, "unknown-provider") }
        guard let day = request.uri.queryParameters.get("day") else {
            throw Problem(.badRequest, "validation-error", detail: "day=YYYY-MM-DD is required", field: "day")
        }
        guard request.headers[.contentType]?.lowercased().hasPrefix("text/csv") == true else {
            throw Problem(.unsupportedMediaType, "unsupported-media-type", detail: "text/csv")
        }
        let bytes = try await request.bodyBytes(limit: Self.maximumStatementBytes)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Problem(.unprocessableContent, "statement-rejected", detail: "not UTF-8")
        }
        let statement: [StatementLine]
        do {
            statement = try StatementCSV.parse(text)
        } catch {
            throw Problem(
                .unprocessableContent, "statement-rejected",
                detail: error.problems.prefix(20).map { "line \($0.line): \($0.reason)" }.joined(separator: "; "))
        }
        let report = try await self.settlement.settle(provider: provider, day: day, statement: statement)
        return JSONResponse(SettlementRepresentation(report))
    }

    @Sendable func reconcile(_ request: Request, context: Context) async throws -> JSONResponse<Reconciler.Run> {
        let limit = try request.queryInteger("limit", in: 1...500, default: 100)
        return JSONResponse(try await self.reconciler(context.logger).runOnce(limit: limit))
    }
}

/// A settlement report as the admin API and the CLI show it.
public struct SettlementRepresentation: Encodable, Sendable {
    struct Line: Encodable, Sendable {
        let providerTxnID: String
        let orderID: String
        let amount: Money
        let line: Int?

        enum CodingKeys: String, CodingKey {
            case amount, line
            case providerTxnID = "provider_txn_id"
            case orderID = "order_id"
        }
    }
    struct Mismatch: Encodable, Sendable {
        let providerTxnID: String
        let orderID: String
        let theirs: Money
        let ours: Money

        enum CodingKeys: String, CodingKey {
            case theirs, ours
            case providerTxnID = "provider_txn_id"
            case orderID = "order_id"
        }
    }
    let id: String
    let provider: String
    let day: String
    let clean: Bool
    let matched: Int
    let matchedTotal: Money
    let missingOurs: [Line]
    let missingTheirs: [Line]
    let amountMismatches: [Mismatch]

    enum CodingKeys: String, CodingKey {
        case id, provider, day, clean, matched
        case matchedTotal = "matched_total"
        case missingOurs = "missing_ours"
        case missingTheirs = "missing_theirs"
        case amountMismatches = "amount_mismatches"
    }

    public init(_ report: SettlementReport) {
        id = report.id
        provider = report.provider
        day = report.day
        clean = report.isClean
        matched = report.matched
        matchedTotal = report.matchedTotal
        missingOurs = report.missingOurs.map {
            Line(providerTxnID: $0.transactionID, orderID: $0.orderID, amount: $0.amount, line: $0.lineNumber)
        }
        missingTheirs = report.missingTheirs.map {
            Line(providerTxnID: $0.transactionID, orderID: $0.orderID, amount: $0.amount, line: nil)
        }
        amountMismatches = report.amountMismatches.map {
            Mismatch(providerTxnID: $0.transactionID, orderID: $0.orderID, theirs: $0.theirs, ours: $0.ours)
        }
    }
}
