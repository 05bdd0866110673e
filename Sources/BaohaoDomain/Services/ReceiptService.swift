import Foundation

/// Receipts as the payer and the counter see them: an online receipt as credited, a counter one
/// with its outlet, clerk, tender and masked ID, and the thermal printer's log of originals and
/// copies.
public struct ReceiptService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any LedgerRows & CounterSaleRows & ShiftRows & OutletRows & StaffRows>
    let clock: any WallClock

    public init(store: any RechargeStore, clock: any WallClock) {
        self.store = Transactions(store) { $0 }
        self.clock = clock
    }

    /// The receipt with everything it shows; ``DomainError/receiptNotFound`` otherwise.
    public func receipt(number: String) async throws -> Receipt {
        guard number.count <= 40 else { throw DomainError.receiptNotFound }
        return try await store.read { session in
            guard var receipt = try await session.receipt(number: number) else { throw DomainError.receiptNotFound }
            if receipt.channel == .counter, let sale = try await session.sale(orderID: receipt.orderID),
                let shift = try await session.shift(id: sale.shiftID, forUpdate: false)
            {
                let outlet = try await session.outlet(code: shift.outletCode)
                let clerk = try await session.staff(id: sale.clerkID)
                receipt.counter = CounterReceiptDetails(
                    outletCode: shift.outletCode, outletName: outlet?.name ?? shift.outletCode, outletAddress: outlet?.address ?? "",
                    clerkName: clerk?.displayName ?? "", shiftID: shift.id, tender: sale.tender, tendered: sale.tendered,
                    change: sale.change, cardTerminalRef: sale.cardTerminalRef, idMasked: sale.idMasked)
            }
            return receipt
        }
    }

    /// The receipt and this printing of it: the first printing is the original, every later one
    /// a numbered copy. Each call is one printing, logged with who printed it.
    public func print(number: String, format: String, by staffID: String?) async throws -> (Receipt, ReceiptPrint) {
        let receipt = try await receipt(number: number)
        for _ in 0..<5 {
            let now = clock.now()
            if let print = try await store.write({ try await $0.recordPrint(number: receipt.number, format: format, at: now, by: staffID) })
            {
                return (receipt, print)
            }
        }
        throw StoreError.conflict
    }
}
