import BaohaoDomain
import Foundation
import PostgresNIO

/// The two named prepared statements of a checked batch of payment applications on PostgreSQL
/// (``GroupCommitQueue``): the versioned read and the checked write. Every row of the batch is bound
/// as arrays, one per column, and expanded with `unnest`, so the text of each statement never
/// changes with the batch's size: each connection parses it once and reuses one generic plan
/// (the connections that run them set `plan_cache_mode = force_generic_plan`), where a multi-row
/// `VALUES` list was parsed and planned again for every batch.
enum PostgresCheckedCredit {
    /// Loads a batch's orders, their lines and its payment keys with each order's and line's row
    /// version (`xmin`), without locks. Columns as in ``BufferedCreditSession/prefetchChecked(_:on:logger:)``.
    struct Read: PostgresPreparedStatement {
        static let name = "baohao_checked_read"
        static let sql = """
            SELECT CAST(o.xmin AS TEXT) AS o_version, \(BufferedCreditSession.orderSelect), CAST(l.xmin AS TEXT) AS l_version, \
            \(BufferedCreditSession.lineSelect), \(BufferedCreditSession.paymentSelect) \
            FROM unnest($1::text[], $2::text[], $3::text[]) AS k (order_id, provider, txn) \
            LEFT JOIN recharge_orders o ON o.id = k.order_id LEFT JOIN lines l ON l.id = o.line_id \
            LEFT JOIN payments p ON p.provider = k.provider AND p.provider_txn_id = k.txn
            """

        let keys: [PaymentKey]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 3)
            bindings.append(keys.map(\.orderID))
            bindings.append(keys.map(\.provider))
            bindings.append(keys.map(\.transactionID))
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }

    /// Writes everything a batch buffered in one statement of data-modifying `WITH` clauses, its
    /// own transaction. Each order and line changes only while its row version is the one read;
    /// unless all of them do, `baohao_expect_rows` raises SQLSTATE 40001 and nothing is kept.
    struct Write: PostgresPreparedStatement {
        static let name = "baohao_checked_write"
        static let sql: String = {
            var parameter = 0
            /// `unnest($n::type[], …)` over the next parameters, one per type.
            func unnest(_ types: [String]) -> String {
                let arrays = types.map { type in
                    parameter += 1
                    return "$\(parameter)::\(type)[]"
                }
                return "unnest(\(arrays.joined(separator: ", ")))"
            }
            func columns(_ columns: [(name: String, type: String)]) -> (names: String, unnest: String) {
                (columns.map(\.name).joined(separator: ", "), unnest(columns.map { $0.type.lowercased() }))
            }
            func insert(_ table: String, _ list: [(name: String, type: String)]) -> String {
                let (names, source) = columns(list)
                return "INSERT INTO \(table) (\(names)) SELECT * FROM \(source)"
            }
            /// `UPDATE … FROM unnest(id, columns…, at, version)`, checked by row version.
            func update(_ table: String, _ list: [(name: String, type: String)], at: String) -> (sql: String, ids: Int) {
                let ids = parameter + 1
                let all = [(name: "id", type: "TEXT")] + list + [(name: at, type: "BIGINT"), (name: "version", type: "TEXT")]
                let (names, source) = columns(all)
                let set = (list + [(name: at, type: "")]).map { "\($0.name) = v.\($0.name)" }.joined(separator: ", ")
                return (
                    "UPDATE \(table) SET \(set) FROM \(source) AS v (\(names)) "
                        + "WHERE \(table).id = v.id AND \(table).xmin = CAST(v.version AS xid) RETURNING \(table).id",
                    ids
                )
            }
            let text = "TEXT"
            let int = "BIGINT"
            let payments = insert(
                "payments",
                [
                    ("provider", text), ("provider_txn_id", text), ("order_id", text), ("amount", int), ("currency", text),
                    ("paid_at", int),
                    ("recorded_at", int), ("needs_refund", int),
                ])
            let transfers = insert("ledger_transfers", [("id", text), ("kind", text), ("order_id", text), ("created_at", int)])
            let postings = insert(
                "ledger_postings",
                [("transfer_id", text), ("seq", int), ("account", text), ("amount", int), ("currency", text), ("created_at", int)])
            let balances = update("lines", Array(SQLSession.lineStateColumns.prefix(1)), at: "updated_at")
            let lines = update("lines", SQLSession.lineStateColumns, at: "updated_at")
            let stages = insert(
                "line_stage_events",
                [
                    ("id", text), ("line_id", text), ("from_stage", text), ("to_stage", text), ("effective_on", int), ("recorded_at", int),
                    ("reason", text), ("policy", text), ("announced", int),
                ])
            let receipts = insert(
                "receipts",
                [
                    ("receipt_no", text), ("order_id", text), ("line_id", text), ("msisdn", text), ("operator", text), ("channel", text),
                    ("payment_method", text), ("provider", text), ("provider_txn_id", text), ("face_value", int), ("amount_paid", int),
                    ("fee", int), ("bonus", int), ("balance_after", int), ("currency", text), ("paid_at", int), ("credited_at", int),
                    ("keep_alive_zh", text), ("keep_alive_en", text),
                ])
            let orders = update(
                "recharge_orders",
                [
                    ("status", text), ("paid_at", int), ("credited_at", int), ("provider_txn_id", text), ("receipt_no", text),
                    ("late_payment", int),
                ], at: "updated_at")
            let notifications = insert(
                "payment_notifications",
                [
                    ("id", text), ("provider", text), ("event_id", text), ("order_id", text), ("provider_txn_id", text), ("outcome", text),
                    ("reason", text), ("received_at", int),
                ])
            let checks = [(balances.ids, "w_balances"), (lines.ids, "w_lines"), (orders.ids, "w_orders")]
                .map { "baohao_expect_rows(cardinality($\($0.0)::text[]), (SELECT count(*) FROM \($0.1)))" }
            return """
                WITH w_payments AS (\(payments)), w_transfers AS (\(transfers)), w_postings AS (\(postings)), \
                w_balances AS (\(balances.sql)), w_lines AS (\(lines.sql)), w_stages AS (\(stages)), w_receipts AS (\(receipts)), \
                w_orders AS (\(orders.sql)), w_notifications AS (\(notifications)) SELECT \(checks.joined(separator: ", "))
                """
        }()

        let pending: BufferedCreditSession.Overlay
        let orderVersions: [String: String]
        let lineVersions: [String: String]

        func makeBindings() throws -> PostgresBindings {
            var b = PostgresBindings(capacity: 79)
            let p = pending.newPayments
            b.append(p.map(\.provider))
            b.append(p.map(\.transactionID))
            b.append(p.map(\.orderID))
            b.append(p.map(\.amount.amountMinor))
            b.append(p.map(\.amount.currency.code))
            b.append(p.map(\.paidAt.millis))
            b.append(p.map(\.recordedAt.millis))
            b.append(p.map { Int64($0.needsRefund ? 1 : 0) })

            let t = pending.transfers
            b.append(t.map(\.id))
            b.append(t.map(\.kind.rawValue))
            b.append(PostgresNullableArray(t.map(\.orderID)))
            b.append(t.map(\.createdAt.millis))
            let postings = SQLSession.postingRows(t)
            b.append(postings.map(\.transfer.id))
            b.append(postings.map(\.seq))
            b.append(postings.map(\.posting.account.code))
            b.append(postings.map(\.posting.amount.amountMinor))
            b.append(postings.map(\.posting.amount.currency.code))
            b.append(postings.map(\.transfer.createdAt.millis))

            let balances = pending.changedLineRows(restaged: false)
            b.append(balances.map(\.0.id))
            b.append(balances.map(\.0.balance.amountMinor))
            b.append(balances.map(\.1.millis))
            b.append(balances.map { lineVersions[$0.0.id] ?? "" })
            let lines = pending.changedLineRows(restaged: true)
            b.append(lines.map(\.0.id))
            b.append(lines.map(\.0.balance.amountMinor))
            b.append(lines.map(\.0.status.rawValue))
            b.append(lines.map(\.0.retention.stageSince.millis))
            b.append(PostgresNullableArray(lines.map { $0.0.retention.arrearsSince.map { Int64($0.dayNumber) } }))
            b.append(lines.map(\.0.retention.lastActivityAt.millis))
            b.append(PostgresNullableArray(lines.map { $0.0.retention.validUntil.map { Int64($0.dayNumber) } }))
            b.append(PostgresNullableArray(lines.map { $0.0.retention.nextChargeAt.map { Int64($0.dayNumber) } }))
            b.append(PostgresNullableArray(lines.map { $0.0.retention.reviewAt?.millis }))
            b.append(PostgresNullableArray(lines.map { $0.0.retention.quarantineUntil?.millis }))
            b.append(lines.map(\.1.millis))
            b.append(lines.map { lineVersions[$0.0.id] ?? "" })

            let s = pending.stageChanges
            b.append(s.map(\.id))
            b.append(s.map(\.change.lineID))
            b.append(s.map(\.change.from.rawValue))
            b.append(s.map(\.change.to.rawValue))
            b.append(s.map { Int64($0.change.effectiveOn.dayNumber) })
            b.append(s.map(\.change.recordedAt.millis))
            b.append(s.map(\.change.reason))
            b.append(s.map(\.change.policy))
            b.append(s.map { Int64($0.announced ? 1 : 0) })

            let r = pending.receipts
            b.append(r.map(\.number))
            b.append(r.map(\.orderID))
            b.append(r.map(\.lineID))
            b.append(r.map(\.msisdn.e164))
            b.append(r.map(\.mobileOperator.rawValue))
            b.append(r.map(\.channel.rawValue))
            b.append(r.map(\.paymentMethod.rawValue))
            b.append(r.map(\.paymentProvider))
            b.append(r.map(\.providerTransactionID))
            b.append(r.map(\.faceValue.amountMinor))
            b.append(r.map(\.amountPaid.amountMinor))
            b.append(r.map(\.fee.amountMinor))
            b.append(r.map(\.bonus.amountMinor))
            b.append(r.map(\.balanceAfter.amountMinor))
            b.append(r.map(\.faceValue.currency.code))
            b.append(r.map(\.paidAt.millis))
            b.append(r.map(\.creditedAt.millis))
            b.append(PostgresNullableArray(r.map(\.keepAliveZh)))
            b.append(PostgresNullableArray(r.map(\.keepAliveEn)))

            let o = pending.changedOrderRows
            b.append(o.map(\.0.id))
            b.append(o.map(\.0.status.rawValue))
            b.append(PostgresNullableArray(o.map { $0.0.paidAt?.millis }))
            b.append(PostgresNullableArray(o.map { $0.0.creditedAt?.millis }))
            b.append(PostgresNullableArray(o.map(\.0.providerTransactionID)))
            b.append(PostgresNullableArray(o.map(\.0.receiptNumber)))
            b.append(o.map { Int64($0.0.latePayment ? 1 : 0) })
            b.append(o.map(\.1.millis))
            b.append(o.map { orderVersions[$0.0.id] ?? "" })

            let n = pending.notifications
            b.append(n.map(\.id))
            b.append(n.map(\.provider))
            b.append(PostgresNullableArray(n.map(\.eventID)))
            b.append(PostgresNullableArray(n.map(\.orderID)))
            b.append(PostgresNullableArray(n.map(\.providerTransactionID)))
            b.append(n.map(\.outcome.rawValue))
            b.append(PostgresNullableArray(n.map(\.reason)))
            b.append(n.map(\.receivedAt.millis))
            return b
        }

        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }
}
