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

    func receipt(number: String) async throws -> Receipt? { look { $0.receipts[number] } }

    func verify() async throws -> VerificationReport {
        look { t in
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
                let wrong =
                    order.status == .credited
                    ? transfers.count != 1 || matching != 1 || receipts.count != 1 || credited != order.amount.amountMinor
                    : !transfers.isEmpty || !receipts.isEmpty
                if wrong {
                    problems.append(
                        .init(
                            kind: "order_mismatch", subject: order.id,
                            detail:
                                "status \(order.status.rawValue), \(transfers.count) transfer(s), \(receipts.count) receipt(s) (\(matching) matching), credited \(credited) of \(order.amount.amountMinor)"
                        ))
                }
            }
            var expected: [String: Int64] = [:]
            for sale in t.sales.values {
                let account = sale.tender.till(shiftID: sale.shiftID).code
                expected[account, default: 0] -= sale.total.amountMinor
            }
            for account in Set(tills.keys).union(expected.keys).sorted() where tills[account, default: 0] != expected[account, default: 0] {
                problems.append(
                    .init(
                        kind: "till_mismatch", subject: account,
                        detail: "sales \(expected[account, default: 0]), ledger \(tills[account, default: 0])"))
            }
            for (code, total) in ledgerTotals.sorted(by: { $0.key < $1.key }) where total != 0 {
                problems.append(.init(kind: "ledger_not_zero", subject: code, detail: "sum \(total)"))
            }
            return VerificationReport(
                transfersChecked: t.transfers.count, linesChecked: t.lines.count,
                creditedOrdersChecked: t.orders.values.filter { $0.status == .credited }.count, problems: problems)
        }
    }
}
