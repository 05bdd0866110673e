import BaohaoDomain
import Foundation
import SQLKit

/// Counter sales.
extension SQLSession {
    static let saleColumns = """
        id, order_id, shift_id, clerk_id, tender, amount, fee, total, currency, tendered, change_given, card_terminal_ref, id_hash, \
        id_masked, fingerprint, created_at, valid_until_before, valid_until_after, voided_at, void_reason, void_transfer_id
        """

    static func sale(_ row: any SQLRow) throws -> CounterSale {
        let currency = try Self.currency(row, "currency")
        func money(_ column: String) throws -> Money? { try row.decode(column: column, as: Int64?.self).map { Money($0, currency) } }
        var sale = CounterSale(
            id: try row.decode(column: "id", as: String.self), orderID: try row.decode(column: "order_id", as: String.self),
            shiftID: try row.decode(column: "shift_id", as: String.self), clerkID: try row.decode(column: "clerk_id", as: String.self),
            tender: try enumValue(row, "tender", Tender.self), amount: Money(try row.decode(column: "amount", as: Int64.self), currency),
            fee: Money(try row.decode(column: "fee", as: Int64.self), currency),
            total: Money(try row.decode(column: "total", as: Int64.self), currency), tendered: try money("tendered"),
            change: try money("change_given"), cardTerminalRef: try row.decode(column: "card_terminal_ref", as: String?.self),
            idHash: try row.decode(column: "id_hash", as: String?.self), idMasked: try row.decode(column: "id_masked", as: String?.self),
            fingerprint: try row.decode(column: "fingerprint", as: String.self), createdAt: try date(row, "created_at"))
        sale.validUntilBefore = try row.decode(column: "valid_until_before", as: Int64?.self).map { LocalDate(dayNumber: Int($0)) }
        sale.validUntilAfter = try row.decode(column: "valid_until_after", as: Int64?.self).map { LocalDate(dayNumber: Int($0)) }
        if let at = try row.decode(column: "voided_at", as: Int64?.self) {
            sale.voided = CounterVoid(
                at: Date(millis: at), reason: try row.decode(column: "void_reason", as: String?.self) ?? "",
                transferID: try row.decode(column: "void_transfer_id", as: String?.self) ?? "")
        }
        if let status = try? row.decode(column: "order_status", as: String?.self) { sale.orderStatus = OrderStatus(rawValue: status) }
        return sale
    }

    func insertSale(_ s: CounterSale) async throws -> Bool {
        !(try await db.raw(
            """
            INSERT INTO counter_sales (id, order_id, shift_id, clerk_id, tender, amount, fee, total, currency, tendered, change_given,
              card_terminal_ref, id_hash, id_masked, fingerprint, created_at, valid_until_before, valid_until_after)
            VALUES (\(bind: s.id), \(bind: s.orderID), \(bind: s.shiftID), \(bind: s.clerkID), \(bind: s.tender.rawValue),
              \(bind: s.amount.amountMinor), \(bind: s.fee.amountMinor), \(bind: s.total.amountMinor), \(bind: s.total.currency.code),
              \(bind: s.tendered?.amountMinor), \(bind: s.change?.amountMinor), \(bind: s.cardTerminalRef), \(bind: s.idHash),
              \(bind: s.idMasked), \(bind: s.fingerprint), \(bind: s.createdAt.millis),
              \(bind: s.validUntilBefore.map { Int64($0.dayNumber) }), \(bind: s.validUntilAfter.map { Int64($0.dayNumber) }))
            ON CONFLICT DO NOTHING RETURNING id
            """
        ).all().isEmpty)
    }

    /// The sale columns qualified by `c`, with the order's status, for reads joined to the order.
    static let saleColumnsWithStatus =
        saleColumns.split(separator: ",").map { "c." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")
        + ", o.status AS order_status"

    func sale(orderID: String) async throws -> CounterSale? {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.saleColumnsWithStatus) FROM counter_sales c JOIN recharge_orders o ON o.id = c.order_id
            WHERE c.order_id = \(bind: orderID)
            """
        ).first().map(Self.sale)
    }

    func sale(id: String) async throws -> CounterSale? {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.saleColumnsWithStatus) FROM counter_sales c JOIN recharge_orders o ON o.id = c.order_id
            WHERE c.id = \(bind: id)
            """
        ).first().map(Self.sale)
    }

    func markVoided(saleID: String, _ void: CounterVoid) async throws -> Bool {
        !(try await db.raw(
            """
            UPDATE counter_sales SET voided_at = \(bind: void.at.millis), void_reason = \(bind: void.reason),
              void_transfer_id = \(bind: void.transferID)
            WHERE id = \(bind: saleID) AND voided_at IS NULL RETURNING id
            """
        ).all().isEmpty)
    }

    func sales(shiftID: String) async throws -> [CounterSale] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.saleColumnsWithStatus) FROM counter_sales c JOIN recharge_orders o ON o.id = c.order_id
            WHERE c.shift_id = \(bind: shiftID) ORDER BY c.created_at, c.id LIMIT 100000
            """
        ).all().map(Self.sale)
    }
}
