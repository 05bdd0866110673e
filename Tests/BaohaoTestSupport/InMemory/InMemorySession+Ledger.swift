import BaohaoDomain
import Foundation

/// The ledger, receipts and `verify` on the in-memory tables: the same checks as the SQL
/// verification, computed by walking the rows.
extension InMemorySession {
    func appendTransfer(_ transfer: Transfer) async throws {
        try mutate { t in try Self.append([transfer], to: &t) }
    }

    /// Appends transfers; a repeated id, or a second transfer for an order, fails them all.
    static func append(_ transfers: [Transfer], to t: inout InMemoryTables) throws {
        var ids = Set(t.transfers.map(\.id))
        var orders = Set(t.transfers.compactMap(\.orderID))
        for transfer in transfers {
            guard ids.insert(transfer.id).inserted else { throw StoreError.duplicate("ledger_transfers") }
            if let reversed = transfer.reverses, !ids.contains(reversed) {
                throw StoreError.corrupt("ledger_transfers: reverses unknown \(reversed)")
            }
            if let order = transfer.orderID {
                guard orders.insert(order).inserted else { throw StoreError.duplicate("ledger_transfers") }
            }
        }
        t.transfers += transfers
    }

    func transfers(account: LedgerAccount, limit: Int) async throws -> [Transfer] {
        look { t in
            Array(
                t.transfers.filter { $0.postings.contains { $0.account == account } }.sorted {
                    ($0.createdAt, $0.id) > ($1.createdAt, $1.id)
                }.prefix(max(limit, 0)))
        }
    }

    func insertReceipt(_ receipt: Receipt) async throws {
        try mutate { t in
            guard t.receipts[receipt.number] == nil, !t.receipts.values.contains(where: { $0.orderID == receipt.orderID }) else {
                throw StoreError.duplicate("receipts")
            }
            t.receipts[receipt.number] = receipt
        }
    }

    func transfer(orderID: String) async throws -> Transfer? { look { $0.transfers.first { $0.orderID == orderID } } }

    func receipt(number: String) async throws -> Receipt? {
        look { t in
            guard var receipt = t.receipts[number] else { return nil }
            receipt.voidedAt = t.receiptVoids[number]?.at
            receipt.voidReason = t.receiptVoids[number]?.reason
            return receipt
        }
    }

    func recordPrint(number: String, format: String, at: Date, by staffID: String?) async throws -> ReceiptPrint? {
        try mutate { t in
            guard t.receipts[number] != nil else { throw StoreError.corrupt("receipt_prints: no receipt \(number)") }
            let print = ReceiptPrint(
                receiptNumber: number, copyNumber: (t.receiptPrints[number]?.count ?? 0) + 1, format: format, printedAt: at,
                printedBy: staffID)
            t.receiptPrints[number, default: []].append(print)
            return print
        }
    }

    func voidReceipt(number: String, at: Date, reason: String) async throws -> Bool {
        try mutate { t in
            guard t.receipts[number] != nil else { throw StoreError.corrupt("receipt_voids: no receipt \(number)") }
            guard t.receiptVoids[number] == nil else { return false }
            t.receiptVoids[number] = (at, reason)
            return true
        }
    }

    /// The in-memory books are checked whole, under the first check; the others find nothing more.
    func verify(_ check: LedgerCheck) async throws -> VerificationReport {
        guard check == LedgerCheck.allCases[0] else {
            return VerificationReport(transfersChecked: 0, linesChecked: 0, creditedOrdersChecked: 0, problems: [])
        }
        return look { t in
            var problems: [VerificationReport.Problem] = []
            var lineTotals: [String: Int64] = [:]
            var ledgerTotals: [String: Int64] = [:]
            var orderTransfers: [String: [Transfer]] = [:]
            var tills: [String: Int64] = [:]
            for transfer in t.transfers.sorted(by: { $0.id < $1.id }) {
                if transfer.postings.isEmpty {
                    problems.append(.init(kind: "empty_transfer", subject: transfer.id, detail: "no postings"))
                }
                var byCurrency: [String: (sum: Int64, count: Int)] = [:]
                for posting in transfer.postings {
                    let code = posting.amount.currency.code
                    byCurrency[code, default: (0, 0)].sum += posting.amount.amountMinor
                    byCurrency[code, default: (0, 0)].count += 1
                    ledgerTotals[code, default: 0] += posting.amount.amountMinor
                    switch posting.account {
                    case .line(let id): lineTotals[id, default: 0] += posting.amount.amountMinor
                    case .till: tills[posting.account.code, default: 0] += posting.amount.amountMinor
                    default: break
                    }
                }
                for (code, total) in byCurrency.sorted(by: { $0.key < $1.key }) where total.sum != 0 || total.count < 2 {
                    problems.append(
                        .init(
                            kind: "unbalanced_transfer", subject: transfer.id, detail: "sum \(total.sum) \(code), \(total.count) posting(s)"
                        ))
                }
                if let order = transfer.orderID { orderTransfers[order, default: []].append(transfer) }
            }
            for (id, total) in lineTotals.sorted(by: { $0.key < $1.key }) {
                if let line = t.lines[id] {
                    if line.balance.amountMinor != total {
                        problems.append(
                            .init(kind: "balance_mismatch", subject: id, detail: "cached \(line.balance.amountMinor), ledger \(total)"))
                    }
                } else {
                    problems.append(.init(kind: "unknown_account", subject: "line:\(id)", detail: "no such line; ledger \(total)"))
                }
            }
            for line in t.lines.values.sorted(by: { $0.id < $1.id }) where line.balance.amountMinor != 0 && lineTotals[line.id] == nil {
                problems.append(.init(kind: "balance_mismatch", subject: line.id, detail: "cached \(line.balance.amountMinor), ledger 0"))
            }
            for order in t.orders.values.sorted(by: { $0.id < $1.id }) {
                let transfers = orderTransfers[order.id] ?? []
                let receipts = t.receipts.values.filter { $0.orderID == order.id }
                let matching = receipts.filter { $0.faceValue == order.amount && $0.amountPaid == order.total }.count
                let credited = transfers.flatMap(\.postings).filter { $0.account == .line(id: order.lineID) }.reduce(Int64(0)) {
                    $0 + $1.amount.amountMinor
                }
                let reversals = t.transfers.filter { $0.kind == .void && $0.reverses != nil && $0.reverses == transfers.first?.id }
                let taken: Set<OrderStatus> = [.credited, .voided, .partiallyRefunded, .refunded]
                var wrong =
                    taken.contains(order.status)
                    ? transfers.count != 1 || matching != 1 || receipts.count != 1 || credited != order.amount.amountMinor
                    : !transfers.isEmpty || !receipts.isEmpty
                if order.status == .voided {
                    wrong = wrong || reversals.count != 1 || !receipts.contains { t.receiptVoids[$0.number] != nil }
                }
                if wrong {
                    problems.append(
                        .init(
                            kind: "order_mismatch", subject: order.id,
                            detail:
                                "status \(order.status.rawValue), \(transfers.count) transfer(s), \(receipts.count) receipt(s) (\(matching) matching), credited \(credited) of \(order.amount.amountMinor)"
                        ))
                }
            }
            let byID = Dictionary(uniqueKeysWithValues: t.transfers.map { ($0.id, $0) })
            var reversalProblems: [VerificationReport.Problem] = []
            var reversed: [String: [String: Int64]] = [:]
            let cancelled = Set(t.transfers.filter { $0.kind == .refundCancel }.compactMap(\.reverses))
            for transfer in t.transfers {
                guard let original = transfer.reverses, !cancelled.contains(transfer.id) else { continue }
                for posting in transfer.postings where posting.account != .refundsPending {
                    reversed[original, default: [:]][posting.account.code, default: 0] += posting.amount.amountMinor
                }
                if transfer.kind == .void, byID[original]?.orderID.flatMap({ t.orders[$0] })?.status != .voided {
                    reversalProblems.append(
                        .init(kind: "reversal_mismatch", subject: transfer.id, detail: "a void of a transfer whose order is not voided"))
                }
            }
            for (original, accounts) in reversed {
                for (account, amount) in accounts {
                    let moved = byID[original]?.postings.filter { $0.account.code == account }.reduce(Int64(0)) {
                        $0 + $1.amount.amountMinor
                    }
                    if moved == nil || moved == 0 || moved! * amount > 0 || abs(amount) > abs(moved!) {
                        reversalProblems.append(
                            .init(
                                kind: "reversal_mismatch", subject: original,
                                detail: "\(account): reversed \(amount) of \(moved.map(String.init) ?? "nothing")"))
                    }
                }
            }
            for (number, _) in t.receiptVoids where t.receipts[number].flatMap({ t.orders[$0.orderID] })?.status != .voided {
                reversalProblems.append(
                    .init(kind: "reversal_mismatch", subject: number, detail: "a voided receipt of an order that is not voided"))
            }
            problems += reversalProblems.sorted { ($0.subject, $0.detail) < ($1.subject, $1.detail) }
            var expected: [String: Int64] = [:]
            for sale in t.sales.values where sale.voided == nil {
                guard let account = sale.tender.till(shiftID: sale.shiftID)?.code else { continue }
                expected[account, default: 0] -= sale.total.amountMinor
            }
            for refund in t.refunds.values where refund.status == .succeeded {
                guard let shift = refund.payoutShiftID, let tender = refund.payoutTender else { continue }
                expected[LedgerAccount.till(shiftID: shift, tender: tender).code, default: 0] += refund.amount.amountMinor
            }
            for account in Set(tills.keys).union(expected.keys).sorted() where tills[account, default: 0] != expected[account, default: 0] {
                problems.append(
                    .init(
                        kind: "till_mismatch", subject: account,
                        detail: "sales \(expected[account, default: 0]), ledger \(tills[account, default: 0])"))
            }
            problems += Self.partnerProblems(t)
            problems += Self.refundProblems(t)
            problems += Self.promotionProblems(t)
            problems += Self.voucherProblems(t)
            for (code, total) in ledgerTotals.sorted(by: { $0.key < $1.key }) where total != 0 {
                problems.append(.init(kind: "ledger_not_zero", subject: code, detail: "sum \(total)"))
            }
            return VerificationReport(
                transfersChecked: t.transfers.count, linesChecked: t.lines.count,
                creditedOrdersChecked: t.orders.values.filter { [.credited, .voided, .partiallyRefunded, .refunded].contains($0.status) }
                    .count,
                problems: problems)
        }
    }
}
