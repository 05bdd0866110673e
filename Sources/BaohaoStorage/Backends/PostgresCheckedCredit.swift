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
            /// The columns' names, and `unnest($n::type[], …)` over the next parameters, one per column.
            func columns(_ list: [(name: String, type: String)]) -> (names: String, unnest: String) {
                let arrays = list.map { column in
                    parameter += 1
                    return "$\(parameter)::\(column.type.lowercased())[]"
                }
                return (list.map(\.name).joined(separator: ", "), "unnest(\(arrays.joined(separator: ", ")))")
            }
            func insert<Row>(_ table: WrittenTable<Row>) -> String {
                let (names, source) = columns(table.columns.map { ($0.name, $0.sqlType) })
                return "INSERT INTO \(table.table) (\(names)) SELECT * FROM \(source)"
            }
            /// `UPDATE … FROM unnest(key, assigned…, version)`, checked by row version; `ids` is the
            /// parameter number of the keys.
            func update<Row>(_ table: WrittenTable<Row>) -> (sql: String, ids: Int) {
                let ids = parameter + 1
                let (names, source) = columns(table.columns.map { ($0.name, $0.sqlType) } + [("version", "TEXT")])
                let set = table.assigned.map { "\($0.name) = v.\($0.name)" }.joined(separator: ", ")
                let key = table.columns[0].name
                return (
                    "UPDATE \(table.table) SET \(set) FROM \(source) AS v (\(names)) "
                        + "WHERE \(table.table).\(key) = v.\(key) AND \(table.table).xmin = CAST(v.version AS xid) "
                        + "RETURNING \(table.table).\(key)",
                    ids
                )
            }
            let t = WrittenTables.self
            let payments = insert(t.payments)
            let transfers = insert(t.transfers)
            let postings = insert(t.postings)
            let balances = update(t.lineBalances)
            let lines = update(t.lineStates)
            let stages = insert(t.stageChanges)
            let receipts = insert(t.receipts)
            let orders = update(t.orderPayments)
            let notifications = insert(t.notifications)
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
            let t = WrittenTables.self
            var b = PostgresBindings(capacity: 80)
            t.payments.bindColumns(pending.newPayments, into: &b)
            t.transfers.bindColumns(pending.transfers, into: &b)
            t.postings.bindColumns(SQLSession.postingRows(pending.transfers), into: &b)
            for (table, rows) in [
                (t.lineBalances, pending.changedLineRows(restaged: false)), (t.lineStates, pending.changedLineRows(restaged: true)),
            ] {
                table.bindColumns(rows, into: &b)
                b.append(rows.map { lineVersions[$0.0.id] ?? "" })
            }
            t.stageChanges.bindColumns(pending.stageChanges, into: &b)
            t.receipts.bindColumns(pending.receipts, into: &b)
            let orders = pending.changedOrderRows
            t.orderPayments.bindColumns(orders, into: &b)
            b.append(orders.map { orderVersions[$0.0.id] ?? "" })
            t.notifications.bindColumns(pending.notifications, into: &b)
            return b
        }

        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }
}
