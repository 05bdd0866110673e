import BaohaoDomain
import Foundation

/// Promotions on the in-memory tables, with the SQL tables' checks: the budget's limits, one
/// bonus per order, a claw-back within its bonus.
extension InMemorySession {
    func insertPromotion(_ promotion: Promotion) async throws -> Bool {
        try mutate { t in
            guard t.promotions[promotion.code] == nil else { return false }
            t.promotions[promotion.code] = promotion
            return true
        }
    }

    func promotion(code: String, forUpdate: Bool) async throws -> Promotion? { look { $0.promotions[code] } }

    func promotions(limit: Int) async throws -> [Promotion] {
        look { t in
            Array(t.promotions.values.sorted { ($0.createdAt, $1.code) > ($1.createdAt, $0.code) }.prefix(max(1, limit)))
        }
    }

    func runningPromotions(at time: Date) async throws -> [Promotion] {
        look { t in t.promotions.values.filter { $0.isRunning(at: time) }.sorted { $0.code < $1.code } }
    }

    func endPromotion(code: String, at: Date, by: String) async throws -> Bool {
        try mutate { t in
            guard var promotion = t.promotions[code], promotion.endedAt == nil else { return false }
            promotion.endedAt = at
            promotion.endedBy = by
            t.promotions[code] = promotion
            return true
        }
    }

    func promotionUse(orderID: String, forUpdate: Bool) async throws -> PromotionUse? { look { $0.promotionUses[orderID] } }

    func setClawedBack(orderID: String, to amount: Money, expected: Money) async throws -> Bool {
        try mutate { t in
            guard var use = t.promotionUses[orderID], use.clawedBack == expected else { return false }
            guard amount.amountMinor >= 0, amount.amountMinor <= use.bonus.amountMinor else {
                throw StoreError.corrupt("promotion_uses.clawed_back out of range")
            }
            use.clawedBack = amount
            t.promotionUses[orderID] = use
            return true
        }
    }

    func promotionUseCount(code: String, lineID: String) async throws -> Int {
        look { t in t.promotionUses.values.filter { $0.promotionCode == code && $0.lineID == lineID }.count }
    }

    func hasBeenCredited(lineID: String) async throws -> Bool {
        look { t in t.orders.values.contains { $0.lineID == lineID && $0.creditedAt != nil } }
    }

    func setPromotionUsage(code: String, to usage: PromotionUsage, expectedCount: Int) async throws -> Bool {
        try mutate { t in
            guard var promotion = t.promotions[code], promotion.used.count == expectedCount else { return false }
            let within: Bool
            switch promotion.budget {
            case .count(let count): within = usage.count <= count
            case .amount(let amount): within = usage.amount.amountMinor <= amount.amountMinor
            }
            guard within else { throw StoreError.corrupt("promotions: budget exceeded") }
            promotion.used = usage
            t.promotions[code] = promotion
            return true
        }
    }

    func insertPromotionUse(_ use: PromotionUse) async throws {
        try mutate { t in
            guard t.promotionUses[use.orderID] == nil else { throw StoreError.duplicate("promotion_uses.order_id") }
            t.promotionUses[use.orderID] = use
        }
    }
}

extension InMemorySession {
    /// The promotion checks `verify` makes in SQL (SQLSession+VerifyPromotions), on the in-memory tables.
    static func promotionProblems(_ t: InMemoryTables) -> [VerificationReport.Problem] {
        var problems: [VerificationReport.Problem] = []
        func problem(_ subject: String, _ detail: String) {
            problems.append(.init(kind: "promotion_mismatch", subject: subject, detail: detail))
        }
        let byID = Dictionary(uniqueKeysWithValues: t.transfers.map { ($0.id, $0) })
        func sum(_ transfers: some Sequence<Transfer>, _ account: LedgerAccount) -> Int64 {
            transfers.flatMap(\.postings).filter { $0.account == account }.reduce(0) { $0 + $1.amount.amountMinor }
        }
        for promotion in t.promotions.values.sorted(by: { $0.code < $1.code }) {
            let uses = t.promotionUses.values.filter { $0.promotionCode == promotion.code }
            let paid = uses.reduce(0) { $0 + $1.bonus.amountMinor }
            let clawed = uses.reduce(0) { $0 + $1.clawedBack.amountMinor }
            let within: Bool
            switch promotion.budget {
            case .count(let count): within = promotion.used.count <= count
            case .amount(let amount): within = promotion.used.amount.amountMinor <= amount.amountMinor
            }
            if promotion.used.count != uses.count || promotion.used.amount.amountMinor != paid || !within
                || sum(t.transfers, .promotion(code: promotion.code)) != clawed - paid
            {
                problem(promotion.code, "usage \(promotion.used.count) bonus(es) of \(promotion.used.amount.amountMinor) does not match")
            }
        }
        for use in t.promotionUses.values.sorted(by: { $0.orderID < $1.orderID }) {
            let transfer = byID[use.transferID]
            let clawbacks = t.transfers.filter { $0.kind == .bonusClawback && $0.reverses == use.transferID }
            if transfer?.kind != .bonus || sum(transfer.map { [$0] } ?? [], .line(id: use.lineID)) != use.bonus.amountMinor
                || sum(transfer.map { [$0] } ?? [], .promotion(code: use.promotionCode)) != -use.bonus.amountMinor
                || !t.receipts.values.contains(where: { $0.orderID == use.orderID && $0.bonus == use.bonus })
                || sum(clawbacks, .promotion(code: use.promotionCode)) != use.clawedBack.amountMinor
            {
                problem(use.orderID, "the bonus of \(use.promotionCode) has no matching transfer, receipt or claw-back record")
            }
        }
        let useTransfers = Set(t.promotionUses.values.map(\.transferID))
        for transfer in t.transfers
        where (transfer.kind == .bonus && !useTransfers.contains(transfer.id))
            || (transfer.kind == .bonusClawback && !useTransfers.contains(transfer.reverses ?? ""))
        {
            problem(transfer.id, "a \(transfer.kind.rawValue) transfer that is not a recorded bonus's")
        }
        for receipt in t.receipts.values where receipt.bonus.amountMinor != 0 && t.promotionUses[receipt.orderID] == nil {
            problem(receipt.number, "a receipt shows a bonus of \(receipt.bonus.amountMinor) that no promotion paid")
        }
        return problems
    }
}
