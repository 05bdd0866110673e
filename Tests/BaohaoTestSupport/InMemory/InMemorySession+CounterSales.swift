import BaohaoDomain
import Foundation

/// Counter sales on the in-memory tables.
extension InMemorySession {
    func insertSale(_ sale: CounterSale) async throws -> Bool {
        try mutate { t in
            guard t.orders[sale.orderID] != nil, t.shifts[sale.shiftID] != nil else {
                throw StoreError.corrupt("counter_sales: no order \(sale.orderID) or shift \(sale.shiftID)")
            }
            guard t.sales[sale.id] == nil, !t.sales.values.contains(where: { $0.orderID == sale.orderID }) else { return false }
            var stored = sale
            stored.orderStatus = nil
            t.sales[sale.id] = stored
            return true
        }
    }

    func sale(orderID: String) async throws -> CounterSale? {
        look { t in t.sales.values.first { $0.orderID == orderID }.map { Self.withStatus($0, t) } }
    }

    /// The sale as read: with its order's status.
    static func withStatus(_ sale: CounterSale, _ t: InMemoryTables) -> CounterSale {
        var sale = sale
        sale.orderStatus = t.orders[sale.orderID]?.status
        return sale
    }

    func sale(id: String) async throws -> CounterSale? { look { t in t.sales[id].map { Self.withStatus($0, t) } } }

    func markVoided(saleID: String, _ void: CounterVoid) async throws -> Bool {
        try mutate { t in
            guard var sale = t.sales[saleID], sale.voided == nil else { return false }
            guard t.transfers.contains(where: { $0.id == void.transferID }) else {
                throw StoreError.corrupt("counter_sales: no transfer \(void.transferID)")
            }
            sale.voided = void
            sale.orderStatus = nil
            t.sales[saleID] = sale
            return true
        }
    }

    func sales(shiftID: String) async throws -> [CounterSale] {
        look { t in
            t.sales.values.filter { $0.shiftID == shiftID }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }.map {
                Self.withStatus($0, t)
            }
        }
    }
}
