import BaohaoDomain
import Foundation

/// Recharge cards on the in-memory tables, with the SQL tables' keys: unique serials and PIN hashes.
extension InMemorySession {
    func insertVoucherBatch(_ batch: VoucherBatch, vouchers: [Voucher]) async throws -> Bool {
        try mutate { t in
            guard t.voucherBatches[batch.id] == nil else { return false }
            let hashes = Set(t.vouchers.values.map(\.pinHash))
            guard vouchers.allSatisfy({ t.vouchers[$0.serial] == nil && !hashes.contains($0.pinHash) }),
                Set(vouchers.map(\.pinHash)).count == vouchers.count
            else { throw StoreError.duplicate("vouchers") }
            t.voucherBatches[batch.id] = batch
            for voucher in vouchers { t.vouchers[voucher.serial] = voucher }
            return true
        }
    }

    func voucherBatches(limit: Int) async throws -> [VoucherBatch] {
        look { t in Array(t.voucherBatches.values.sorted { ($0.createdAt, $1.id) > ($1.createdAt, $0.id) }.prefix(max(1, limit))) }
    }

    func voucherBatch(id: String) async throws -> VoucherBatch? { look { $0.voucherBatches[id] } }

    func voucherCounts(batchID: String) async throws -> [VoucherState: Int] {
        look { t in
            Dictionary(grouping: t.vouchers.values.filter { $0.batchID == batchID }, by: \.stored).mapValues(\.count)
        }
    }

    func voucher(serial: String) async throws -> Voucher? { look { $0.vouchers[serial] } }

    func voucher(pinHash: String, forUpdate: Bool) async throws -> Voucher? {
        look { t in t.vouchers.values.first { $0.pinHash == pinHash } }
    }

    func changeVouchers(
        from first: String, to last: String, batchID: String?, states: Set<VoucherState>, change: VoucherChange, at: Date
    ) async throws -> (count: Int, face: Int64) {
        try mutate { t in
            var count = 0
            var face: Int64 = 0
            for (serial, var voucher) in t.vouchers
            where serial >= first && serial <= last && serial.count == first.count && (batchID == nil || voucher.batchID == batchID)
                && states.contains(voucher.stored)
            {
                switch change {
                case .activate:
                    voucher.stored = .active
                    voucher.activatedAt = at
                case .freeze(let reason):
                    voucher.stored = .frozen
                    voucher.frozenReason = reason
                case .unfreeze:
                    voucher.stored = voucher.activatedAt == nil ? .issued : .active
                    voucher.frozenReason = nil
                }
                t.vouchers[serial] = voucher
                count += 1
                face += voucher.face.amountMinor
            }
            return (count, face)
        }
    }

    func useVoucher(serial: String, orderID: String, msisdnMasked: String, at: Date) async throws -> Bool {
        try mutate { t in
            guard var voucher = t.vouchers[serial], voucher.stored == .active else { return false }
            guard !t.vouchers.values.contains(where: { $0.usedOrderID == orderID }) else {
                throw StoreError.duplicate("vouchers.used_order_id")
            }
            voucher.stored = .used
            voucher.usedAt = at
            voucher.usedOrderID = orderID
            voucher.usedOnMasked = msisdnMasked
            t.vouchers[serial] = voucher
            return true
        }
    }

    func insertVoucherEvent(_ event: VoucherEvent) async throws {
        try mutate { t in t.voucherEvents.append(event) }
    }

    func voucherEvents(limit: Int) async throws -> [VoucherEvent] {
        look { t in Array(t.voucherEvents.sorted { ($0.at, $0.id) > ($1.at, $1.id) }.prefix(max(1, limit))) }
    }

    func redeemedVouchers(from: Date, to: Date, limit: Int) async throws -> [Voucher] {
        look { t in
            Array(
                t.vouchers.values.filter { $0.usedAt.map { $0 >= from && $0 < to } ?? false }
                    .sorted { ($0.usedAt!, $0.serial) < ($1.usedAt!, $1.serial) }.prefix(max(1, limit)))
        }
    }

    /// The voucher checks `verify` makes in SQL (SQLSession+VerifyVouchers), on the in-memory tables.
    static func voucherProblems(_ t: InMemoryTables) -> [VerificationReport.Problem] {
        var problems: [VerificationReport.Problem] = []
        func sum(_ account: LedgerAccount) -> Int64 {
            t.transfers.flatMap(\.postings).filter { $0.account == account }.reduce(0) { $0 + $1.amount.amountMinor }
        }
        let sold = t.vouchers.values.filter { $0.activatedAt != nil }
        let owed = sold.filter { $0.stored != .used }.reduce(0) { $0 + $1.face.amountMinor }
        if sum(.vouchersOutstanding) != owed {
            problems.append(
                .init(kind: "voucher_mismatch", subject: LedgerAccount.vouchersOutstanding.code, detail: "cards sold and unused \(owed)"))
        }
        if sum(.voucherSales) != -sold.reduce(0) { $0 + $1.face.amountMinor } {
            problems.append(.init(kind: "voucher_mismatch", subject: LedgerAccount.voucherSales.code, detail: "cards sold"))
        }
        for voucher in t.vouchers.values where voucher.stored == .used {
            let order = voucher.usedOrderID.flatMap { t.orders[$0] }
            let payment = t.payments[.init(provider: "voucher", transactionID: voucher.serial)]
            if order == nil || order?.channel != .voucher || order?.amount != voucher.face || payment?.orderID != order?.id
                || payment?.amount != voucher.face
            {
                problems.append(
                    .init(kind: "voucher_mismatch", subject: voucher.serial, detail: "a used card without its one order and payment"))
            }
        }
        for payment in t.payments.values where payment.provider == "voucher" && t.vouchers[payment.transactionID]?.stored != .used {
            problems.append(
                .init(kind: "voucher_mismatch", subject: payment.transactionID, detail: "a voucher payment without its used card"))
        }
        return problems
    }
}

/// Inbound text messages already answered.
extension InMemorySession {
    func inboundMessage(messageID: String) async throws -> (reply: String, at: Date)? { look { $0.inboundMessages[messageID] } }

    func recordInbound(messageID: String, reply: String, at: Date) async throws -> Bool {
        try mutate { t in
            guard t.inboundMessages[messageID] == nil else { return false }
            t.inboundMessages[messageID] = (reply, at)
            return true
        }
    }
}
