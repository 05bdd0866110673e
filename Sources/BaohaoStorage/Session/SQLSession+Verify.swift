import BaohaoDomain
import SQLKit

/// `baohao verify`: the books recomputed in a few set-based queries, never a query per row.
extension SQLSession {
    /// At most this many problems of each kind are listed; counts stay exact.
    static let problemsListedPerKind = 50

    /// Each line account's sum over the ledger (`account`, `line_id`, `total`), read from the
    /// account index alone, which carries the amounts.
    static let lineAccountSums = """
        (SELECT account, substr(account, 6) AS line_id, CAST(SUM(amount) AS BIGINT) AS total FROM ledger_postings
         WHERE account LIKE 'line:%' GROUP BY account)
        """

    /// A row of the line-balance checks (`account`, `total`, `id`, `balance`) as its problem: a
    /// line whose cached balance is not its account's sum (no sum: no postings, so 0), or postings
    /// to the account of no line.
    static func lineBalanceProblem(_ row: any SQLRow) throws -> VerificationReport.Problem {
        let total = try row.decode(column: "total", as: Int64?.self)
        guard let id = try row.decode(column: "id", as: String?.self) else {
            return .init(
                kind: "unknown_account", subject: try row.decode(column: "account", as: String.self),
                detail: "no such line; ledger \(total ?? 0)")
        }
        let cached = try row.decode(column: "balance", as: Int64.self)
        return .init(kind: "balance_mismatch", subject: id, detail: "cached \(cached), ledger \(total ?? 0)")
    }

    func verify(_ check: LedgerCheck) async throws -> VerificationReport {
        // Each check is one big query planned once: PostgreSQL's JIT compiles every one of them
        // (50-100 ms each) for no gain at these sizes.
        if kind == .postgres { try await db.raw("SET LOCAL jit = off").run() }
        var problems: [VerificationReport.Problem] = []
        let limit = Self.problemsListedPerKind
        switch check {
        case .transfers:
            // Every transfer sums to zero in each currency and has at least two postings.
            for row in try await db.raw(
                """
                SELECT transfer_id, currency, CAST(SUM(amount) AS BIGINT) AS total, COUNT(*) AS postings FROM ledger_postings
                GROUP BY transfer_id, currency HAVING SUM(amount) <> 0 OR COUNT(*) < 2 ORDER BY transfer_id LIMIT \(unsafeRaw: String(limit))
                """
            ).all() {
                problems.append(
                    .init(
                        kind: "unbalanced_transfer", subject: try row.decode(column: "transfer_id", as: String.self),
                        detail:
                            "sum \(try row.decode(column: "total", as: Int64.self)) \(try row.decode(column: "currency", as: String.self)), \(try row.decode(column: "postings", as: Int64.self)) posting(s)"
                    ))
            }
            for row in try await db.raw(
                "SELECT t.id FROM ledger_transfers t WHERE NOT EXISTS (SELECT 1 FROM ledger_postings p WHERE p.transfer_id = t.id) LIMIT \(unsafeRaw: String(limit))"
            ).all() {
                problems.append(
                    .init(kind: "empty_transfer", subject: try row.decode(column: "id", as: String.self), detail: "no postings"))
            }
        case .lineBalances where kind == .postgres:
            // The same two checks as below in one pass on PostgreSQL: the line accounts' sums,
            // streamed from the account index in order (a sort-based aggregate: the planner guesses
            // a few thousand accounts where there are a million, and its hash aggregate then spills
            // to disk), full-joined with the lines by hash. 1.5 s at 1M lines and 2M postings,
            // against 2.9 s and 2.1 s for the two index-probing queries (BENCHMARKS.md).
            try await db.raw("SET LOCAL enable_hashagg = off").run()
            var listed: [String: Int] = [:]
            for row in try await db.raw(
                """
                SELECT s.account, s.total, l.id, l.balance FROM
                  \(unsafeRaw: Self.lineAccountSums) s
                FULL JOIN lines l ON l.id = s.line_id
                WHERE (s.account IS NULL AND l.balance <> 0) OR l.id IS NULL OR l.balance <> s.total
                ORDER BY COALESCE(s.line_id, l.id) LIMIT \(unsafeRaw: String(2 * limit))
                """
            ).all() {
                let problem = try Self.lineBalanceProblem(row)
                if listed[problem.kind, default: 0] < limit {
                    listed[problem.kind, default: 0] += 1
                    problems.append(problem)
                }
            }
        case .lineBalances:
            // Every cached balance equals the sum of its line account. Driven from the ledger side and
            // from non-zero balances, so each query probes a primary key or index; the sums are read
            // from the account index alone, which carries the amounts (1.2 s on SQLite at 1M lines
            // and 2M postings, BENCHMARKS.md; a full join of both sides measured no faster).
            for row in try await db.raw(
                """
                SELECT s.account, s.total, l.id, l.balance FROM
                  \(unsafeRaw: Self.lineAccountSums) s
                LEFT JOIN lines l ON l.id = s.line_id
                WHERE l.id IS NULL OR l.balance <> s.total ORDER BY s.account LIMIT \(unsafeRaw: String(limit))
                """
            ).all() {
                problems.append(try Self.lineBalanceProblem(row))
            }
            for row in try await db.raw(
                """
                SELECT l.id, l.balance FROM lines l
                WHERE l.balance <> 0 AND NOT EXISTS (SELECT 1 FROM ledger_postings p WHERE p.account = 'line:' || l.id)
                ORDER BY l.id LIMIT \(unsafeRaw: String(limit))
                """
            ).all() {
                let cached = try row.decode(column: "balance", as: Int64.self)
                problems.append(
                    .init(
                        kind: "balance_mismatch", subject: try row.decode(column: "id", as: String.self),
                        detail: "cached \(cached), ledger 0"))
            }
        case .creditedOrders:
            // Every credited order has exactly one transfer and one receipt, of its amounts; no other order has either.
            // An order has at most one of each (`order_id` is unique in both tables), so each is a join, not a count.
            for row in try await db.raw(
                """
                SELECT o.id, o.status, o.amount, o.total, t.id AS transfer_id, r.receipt_no, r.face_value, r.amount_paid,
                  CAST(COALESCE((SELECT SUM(CASE WHEN p.account = 'line:' || o.line_id THEN p.amount ELSE 0 END)
                                 FROM ledger_postings p WHERE p.transfer_id = t.id), 0) AS BIGINT) AS credited
                FROM recharge_orders o LEFT JOIN ledger_transfers t ON t.order_id = o.id LEFT JOIN receipts r ON r.order_id = o.id
                WHERE CASE WHEN o.status IN ('credited', 'voided', 'partially_refunded', 'refunded') THEN
                        t.id IS NULL OR r.receipt_no IS NULL OR r.face_value <> o.amount OR r.amount_paid <> o.total
                        OR COALESCE((SELECT SUM(CASE WHEN p.account = 'line:' || o.line_id THEN p.amount ELSE 0 END)
                                     FROM ledger_postings p WHERE p.transfer_id = t.id), 0) <> o.amount
                        OR (o.status = 'voided' AND (
                              (SELECT COUNT(*) FROM ledger_transfers v WHERE v.reverses = t.id AND v.kind = 'void') <> 1
                              OR NOT EXISTS (SELECT 1 FROM receipt_voids rv WHERE rv.receipt_no = r.receipt_no)))
                      ELSE t.id IS NOT NULL OR r.receipt_no IS NOT NULL END
                ORDER BY o.id LIMIT \(unsafeRaw: String(limit))
                """
            ).all() {
                let amount = try row.decode(column: "amount", as: Int64.self)
                let transfers = try row.decode(column: "transfer_id", as: String?.self) == nil ? 0 : 1
                let receipt = try row.decode(column: "receipt_no", as: String?.self)
                let matching =
                    try receipt != nil && row.decode(column: "face_value", as: Int64?.self) == amount
                    && row.decode(column: "amount_paid", as: Int64?.self) == row.decode(column: "total", as: Int64.self)
                problems.append(
                    .init(
                        kind: "order_mismatch", subject: try row.decode(column: "id", as: String.self),
                        detail:
                            "status \(try row.decode(column: "status", as: String.self)), \(transfers) transfer(s), \(receipt == nil ? 0 : 1) receipt(s) (\(matching ? 1 : 0) matching), credited \(try row.decode(column: "credited", as: Int64.self)) of \(amount)"
                    ))
            }
        case .reversalsAndVoids:
            // A reversing transfer only gives back what its original moved, account by account (a refund's
            // leg into refunds pending aside, and a refund its cancellation gave back not counted); a
            // void reverses a voided order's transfer; only a voided order's receipt is marked voided.
            for row in try await db.raw(
                """
                SELECT v.reverses AS subject, p.account AS account, CAST(SUM(p.amount) AS BIGINT) AS reversed,
                  CAST((SELECT SUM(o.amount) FROM ledger_postings o WHERE o.transfer_id = v.reverses AND o.account = p.account) AS BIGINT) AS original
                FROM ledger_transfers v JOIN ledger_postings p ON p.transfer_id = v.id
                WHERE v.reverses IS NOT NULL AND p.account <> 'liability:refunds_pending'
                  AND NOT EXISTS (SELECT 1 FROM ledger_transfers c WHERE c.reverses = v.id AND c.kind = 'refund_cancel')
                GROUP BY v.reverses, p.account
                HAVING (SELECT SUM(o.amount) FROM ledger_postings o WHERE o.transfer_id = v.reverses AND o.account = p.account) IS NULL
                   OR (SELECT SUM(o.amount) FROM ledger_postings o WHERE o.transfer_id = v.reverses AND o.account = p.account) * SUM(p.amount) > 0
                   OR ABS(SUM(p.amount)) > ABS((SELECT SUM(o.amount) FROM ledger_postings o WHERE o.transfer_id = v.reverses AND o.account = p.account))
                UNION ALL
                SELECT v.id AS subject, 'void' AS account, 0 AS reversed, 0 AS original
                FROM ledger_transfers v JOIN ledger_transfers t ON t.id = v.reverses LEFT JOIN recharge_orders o ON o.id = t.order_id
                WHERE v.reverses IS NOT NULL AND v.kind = 'void' AND (o.id IS NULL OR o.status <> 'voided')
                UNION ALL
                SELECT rv.receipt_no AS subject, 'receipt_void' AS account, 0 AS reversed, 0 AS original
                FROM receipt_voids rv JOIN receipts r ON r.receipt_no = rv.receipt_no JOIN recharge_orders o ON o.id = r.order_id
                WHERE o.status <> 'voided'
                ORDER BY 1, 2 LIMIT \(unsafeRaw: String(limit))
                """
            ).all() {
                let account = try row.decode(column: "account", as: String.self)
                let detail: String
                switch account {
                case "void": detail = "a void of a transfer whose order is not voided"
                case "receipt_void": detail = "a voided receipt of an order that is not voided"
                default:
                    let original = try row.decode(column: "original", as: Int64?.self).map(String.init) ?? "nothing"
                    detail = "\(account): reversed \(try row.decode(column: "reversed", as: Int64.self)) of \(original)"
                }
                problems.append(
                    .init(kind: "reversal_mismatch", subject: try row.decode(column: "subject", as: String.self), detail: detail))
            }
        case .counterTills:
            // Every counter shift's till holds what its sales took less what voids and refunds paid at it gave back, per tender
            // (cash, card: the till is named by the tender, as `Tender.till` names it), and no till
            // holds money without sales.
            for row in try await db.raw(
                """
                WITH movements AS (SELECT 'till:' || shift_id || ':' || tender AS account,
                                     -SUM(CASE WHEN voided_at IS NULL THEN total ELSE 0 END) AS expected
                                   FROM counter_sales WHERE tender IN ('cash', 'card') GROUP BY 1
                                   UNION ALL
                                   SELECT 'till:' || payout_shift_id || ':' || payout_tender AS account, SUM(amount) AS expected
                                   FROM refunds WHERE payout_shift_id IS NOT NULL AND status = 'succeeded' GROUP BY 1),
                     sold AS (SELECT account, CAST(SUM(expected) AS BIGINT) AS expected FROM movements GROUP BY account),
                     tills AS (SELECT account, CAST(SUM(amount) AS BIGINT) AS total FROM ledger_postings WHERE account LIKE 'till:%'
                               GROUP BY account)
                SELECT s.account, s.expected, COALESCE(t.total, 0) AS ledger FROM sold s LEFT JOIN tills t ON t.account = s.account
                WHERE COALESCE(t.total, 0) <> s.expected
                UNION ALL
                SELECT t.account, 0 AS expected, t.total AS ledger FROM tills t WHERE NOT EXISTS (SELECT 1 FROM sold s WHERE s.account = t.account)
                ORDER BY 1 LIMIT \(unsafeRaw: String(limit))
                """
            ).all() {
                problems.append(
                    .init(
                        kind: "till_mismatch", subject: try row.decode(column: "account", as: String.self),
                        detail:
                            "sales \(try row.decode(column: "expected", as: Int64.self)), ledger \(try row.decode(column: "ledger", as: Int64.self))"
                    ))
            }
        case .partnerFloats:
            problems += try await verifyPartners(limit: limit)
        case .refunds:
            problems += try await verifyRefunds(limit: limit)
        case .promotions:
            problems += try await verifyPromotions(limit: limit)
        case .rechargeCards:
            problems += try await verifyVouchers(limit: limit)
        case .ledgerTotal:
            // The whole ledger sums to zero per currency.
            for row in try await db.raw(
                "SELECT currency, CAST(SUM(amount) AS BIGINT) AS total FROM ledger_postings GROUP BY currency HAVING SUM(amount) <> 0"
            ).all() {
                problems.append(
                    .init(
                        kind: "ledger_not_zero", subject: try row.decode(column: "currency", as: String.self),
                        detail: "sum \(try row.decode(column: "total", as: Int64.self))"))
            }
            let counts = try await db.raw(
                """
                SELECT (SELECT COUNT(*) FROM ledger_transfers) AS transfers, (SELECT COUNT(*) FROM lines) AS lines,
                       (SELECT COUNT(*) FROM recharge_orders WHERE status IN ('credited', 'voided', 'partially_refunded', 'refunded')) AS credited
                """
            ).first()
            return VerificationReport(
                transfersChecked: Int(try counts?.decode(column: "transfers", as: Int64.self) ?? 0),
                linesChecked: Int(try counts?.decode(column: "lines", as: Int64.self) ?? 0),
                creditedOrdersChecked: Int(try counts?.decode(column: "credited", as: Int64.self) ?? 0),
                problems: problems)
        }
        return VerificationReport(transfersChecked: 0, linesChecked: 0, creditedOrdersChecked: 0, problems: problems)
    }

    /// Partners' floats: each partner's cached available and held float equal its ledger accounts
    /// and its last movement, and what is held is the cost of its accepted top-ups; each top-up's
    /// hold moved its cost, and a settled one's capture (the order's credit) or release took
    /// exactly that back out of the held account.
    func verifyPartners(limit: Int) async throws -> [VerificationReport.Problem] {
        var problems: [VerificationReport.Problem] = []
        for row in try await db.raw(
            """
            SELECT p.id, p.available, p.held,
              CAST(COALESCE((SELECT SUM(amount) FROM ledger_postings WHERE account = 'partner:' || p.id || ':float'), 0) AS BIGINT) AS ledger_available,
              CAST(COALESCE((SELECT SUM(amount) FROM ledger_postings WHERE account = 'partner:' || p.id || ':held'), 0) AS BIGINT) AS ledger_held,
              CAST(COALESCE((SELECT SUM(cost) FROM partner_topups t WHERE t.partner_id = p.id AND t.status = 'accepted'), 0) AS BIGINT) AS accepted,
              CAST(COALESCE((SELECT m.available_after FROM partner_float_movements m WHERE m.partner_id = p.id
                             ORDER BY m.seq DESC LIMIT 1), 0) AS BIGINT) AS moved_available,
              CAST(COALESCE((SELECT m.held_after FROM partner_float_movements m WHERE m.partner_id = p.id
                             ORDER BY m.seq DESC LIMIT 1), 0) AS BIGINT) AS moved_held,
              p.float_sequence AS sequence,
              (SELECT COUNT(*) FROM partner_float_movements m WHERE m.partner_id = p.id) AS movements
            FROM partners p ORDER BY p.id
            """
        ).all() {
            let id = try row.decode(column: "id", as: String.self)
            let values = try ["available", "held", "ledger_available", "ledger_held", "accepted", "moved_available", "moved_held"].map {
                try row.decode(column: $0, as: Int64.self)
            }
            let (available, held, ledgerAvailable, ledgerHeld, accepted, movedAvailable, movedHeld) = (
                values[0], values[1], values[2], values[3], values[4], values[5], values[6]
            )
            let sequence = try row.decode(column: "sequence", as: Int64.self)
            let movements = try row.decode(column: "movements", as: Int64.self)
            if available != ledgerAvailable || held != ledgerHeld || held != accepted || available != movedAvailable || held != movedHeld
                || sequence != movements
            {
                problems.append(
                    .init(
                        kind: "float_mismatch", subject: id,
                        detail:
                            "cached \(available)/\(held), ledger \(ledgerAvailable)/\(ledgerHeld), movements \(movedAvailable)/\(movedHeld) (\(movements) of \(sequence)), accepted top-ups \(accepted)"
                    ))
            }
        }
        for row in try await db.raw(
            """
            WITH held AS (SELECT transfer_id, account, CAST(SUM(amount) AS BIGINT) AS amount FROM ledger_postings
                          WHERE account LIKE 'partner:%:held' GROUP BY transfer_id, account)
            SELECT * FROM (
              SELECT t.id, t.status, t.cost, o.status AS order_status, t.settle_transfer_id,
                COALESCE(hi.amount, 0) AS held_in, COALESCE(ho.amount, 0) AS held_out,
                x.id AS order_transfer, k.kind AS settle_kind
              FROM partner_topups t JOIN recharge_orders o ON o.id = t.order_id
              LEFT JOIN held hi ON hi.transfer_id = t.hold_transfer_id AND hi.account = 'partner:' || t.partner_id || ':held'
              LEFT JOIN held ho ON ho.transfer_id = t.settle_transfer_id AND ho.account = 'partner:' || t.partner_id || ':held'
              LEFT JOIN ledger_transfers x ON x.order_id = t.order_id
              LEFT JOIN ledger_transfers k ON k.id = t.settle_transfer_id) s
            WHERE s.held_in <> s.cost
               OR (s.status = 'accepted' AND (s.settle_transfer_id IS NOT NULL OR s.order_status <> 'pending_payment'))
               OR (s.status = 'credited' AND (s.order_status NOT IN ('credited', 'voided') OR s.order_transfer IS NULL
                   OR s.settle_transfer_id <> s.order_transfer OR s.held_out <> -s.cost))
               OR (s.status = 'failed' AND (s.order_status = 'credited' OR s.settle_kind IS NULL OR s.settle_kind <> 'float_release'
                   OR s.held_out <> -s.cost))
            ORDER BY s.id LIMIT \(unsafeRaw: String(limit))
            """
        ).all() {
            problems.append(
                .init(
                    kind: "topup_mismatch", subject: try row.decode(column: "id", as: String.self),
                    detail:
                        "status \(try row.decode(column: "status", as: String.self)), order \(try row.decode(column: "order_status", as: String.self)), cost \(try row.decode(column: "cost", as: Int64.self)), held in \(try row.decode(column: "held_in", as: Int64.self)), out \(try row.decode(column: "held_out", as: Int64.self))"
                ))
        }
        return problems
    }
}
