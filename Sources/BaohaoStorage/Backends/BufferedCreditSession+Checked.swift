import BaohaoDomain
import Logging
import PostgresKit
import PostgresNIO

/// PostgreSQL's checked batches: a versioned read and one checked write, each its own transaction
/// and one round trip, with no locks held in between (``GroupCommitQueue``).
extension BufferedCreditSession {
    /// PostgreSQL, outside a transaction: loads the batch's orders, their lines and its payment keys
    /// in one prepared statement (``PostgresCheckedCredit/Read``), without locks, with each order's
    /// and line's row version. The batch is then written by one checked statement
    /// (``flushChecked(on:logger:)``) that is its own transaction. A batch with an order that was
    /// offered a promotion throws ``StoreError/conflict`` instead, having written nothing, and runs
    /// the locking way.
    func prefetchChecked(_ keys: [PaymentKey], on connection: PostgresConnection, logger: Logger) async throws {
        for key in keys { overlay.payments[Self.paymentSlot(key.provider, key.transactionID)] = .some(nil) }
        var offered = false
        for try await postgresRow in try await connection.execute(PostgresCheckedCredit.Read(keys: keys), logger: logger) {
            let row = PostgresDirectRow(postgresRow)
            if try !row.decodeNil(column: "o_id") {
                let order = try SQLSession.order(PrefixedRow(row: row, prefix: "o_"))
                offered = offered || order.promotionCode != nil
                overlay.orders[order.id] = order
                orderVersions[order.id] = try row.decode(column: "o_version", as: String.self)
            }
            if try !row.decodeNil(column: "l_id") {
                let line = try SQLSession.line(PrefixedRow(row: row, prefix: "l_"))
                overlay.lines[line.id] = line
                lineVersions[line.id] = try row.decode(column: "l_version", as: String.self)
            }
            if try !row.decodeNil(column: "p_provider") {
                let payment = try SQLSession.paymentRecord(PrefixedRow(row: row, prefix: "p_"))
                overlay.payments[Self.paymentSlot(payment.provider, payment.transactionID)] = .some(payment)
            }
        }
        // A promotion's budget is shared by every credit that may spend it: such a batch runs under locks.
        if offered { throw StoreError.conflict }
    }

    /// Writes everything buffered in one checked statement (``PostgresCheckedCredit/Write``) and
    /// empties the buffer. Every changed order and line is updated only if its row version is the
    /// one read; unless all of them were, the statement raises SQLSTATE 40001 and nothing is kept,
    /// so a concurrent writer's change is never lost.
    func flushChecked(on connection: PostgresConnection, logger: Logger) async throws {
        let pending = overlay
        overlay = Overlay()
        guard pending.changedOrders.keys.allSatisfy({ orderVersions[$0] != nil }),
            pending.changedLines.keys.allSatisfy({ lineVersions[$0] != nil })
        else { throw StoreError.conflict }
        let write = PostgresCheckedCredit.Write(pending: pending, orderVersions: orderVersions, lineVersions: lineVersions)
        for try await _ in try await connection.execute(write, logger: logger) {}
    }
}
