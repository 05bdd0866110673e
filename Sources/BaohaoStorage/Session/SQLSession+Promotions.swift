import BaohaoDomain
import Foundation
import SQLKit

/// Promotions and the bonuses they paid.
extension SQLSession {
    static let promotionColumns = """
        code, name_zh, name_en, starts_at, ends_at, channels, payment_methods, face_values, minimum, currency, bonus_fixed, bonus_bps, \
        bonus_cap, first_recharge_only, per_number_limit, budget_count, budget_amount, funded_by, created_by, created_at, ended_at, \
        ended_by, used_count, used_amount
        """
    static let promotionUseColumns = "order_id, promotion_code, line_id, bonus, currency, transfer_id, created_at, clawed_back"

    static func promotion(_ row: any SQLRow) throws -> Promotion {
        let currency = try currency(row, "currency")
        func money(_ column: String) throws -> Money? { try row.decode(column: column, as: Int64?.self).map { Money($0, currency) } }
        func list<T>(_ column: String, _ parse: (Substring) -> T?) throws -> [T]? {
            guard let text = try row.decode(column: column, as: String?.self) else { return nil }
            return try text.split(separator: ",").map { item in
                guard let value = parse(item) else { throw StoreError.corrupt("promotions.\(column): \(item)") }
                return value
            }
        }
        let bonus: PromotionBonus
        if let fixed = try money("bonus_fixed") {
            bonus = .fixed(fixed)
        } else if let bps = try row.decode(column: "bonus_bps", as: Int64?.self), let cap = try money("bonus_cap") {
            bonus = .rate(basisPoints: Int(bps), cap: cap)
        } else {
            throw StoreError.corrupt("promotions: no bonus")
        }
        let budget: PromotionBudget
        if let count = try row.decode(column: "budget_count", as: Int64?.self) {
            budget = .count(Int(count))
        } else if let amount = try money("budget_amount") {
            budget = .amount(amount)
        } else {
            throw StoreError.corrupt("promotions: no budget")
        }
        let rules = PromotionRules(
            code: try row.decode(column: "code", as: String.self), nameZh: try row.decode(column: "name_zh", as: String.self),
            nameEn: try row.decode(column: "name_en", as: String.self), startsAt: try date(row, "starts_at"),
            endsAt: try date(row, "ends_at"), channels: try list("channels") { Channel(rawValue: String($0)) } ?? [],
            paymentMethods: try list("payment_methods") { PaymentMethod(rawValue: String($0)) },
            faceValues: try list("face_values") { Int64($0).map { Money($0, currency) } }, minimum: try money("minimum"),
            bonus: bonus, firstRechargeOnly: try row.decode(column: "first_recharge_only", as: Int64.self) != 0,
            perNumberLimit: try row.decode(column: "per_number_limit", as: Int64?.self).map { Int($0) }, budget: budget,
            fundedBy: try row.decode(column: "funded_by", as: String.self))
        return Promotion(
            rules: rules, createdBy: try row.decode(column: "created_by", as: String.self), createdAt: try date(row, "created_at"),
            endedAt: try optionalDate(row, "ended_at"),
            endedBy: try row.decode(column: "ended_by", as: String?.self),
            used: PromotionUsage(
                count: Int(try row.decode(column: "used_count", as: Int64.self)),
                amount: Money(try row.decode(column: "used_amount", as: Int64.self), currency)))
    }

    static func promotionUse(_ row: any SQLRow) throws -> PromotionUse {
        let currency = try currency(row, "currency")
        return PromotionUse(
            orderID: try row.decode(column: "order_id", as: String.self),
            promotionCode: try row.decode(column: "promotion_code", as: String.self),
            lineID: try row.decode(column: "line_id", as: String.self),
            bonus: Money(try row.decode(column: "bonus", as: Int64.self), currency),
            transferID: try row.decode(column: "transfer_id", as: String.self), createdAt: try date(row, "created_at"),
            clawedBack: Money(try row.decode(column: "clawed_back", as: Int64.self), currency))
    }

    func insertPromotion(_ p: Promotion) async throws -> Bool {
        var fixed: Int64? = nil
        var bps: Int64? = nil
        var cap: Int64? = nil
        switch p.bonus {
        case .fixed(let amount): fixed = amount.amountMinor
        case .rate(let basisPoints, let limit):
            bps = Int64(basisPoints)
            cap = limit.amountMinor
        }
        var budgetCount: Int64? = nil
        var budgetAmount: Int64? = nil
        switch p.budget {
        case .count(let count): budgetCount = Int64(count)
        case .amount(let amount): budgetAmount = amount.amountMinor
        }
        return
            !(try await db.raw(
                """
                INSERT INTO promotions (\(unsafeRaw: Self.promotionColumns))
                VALUES (\(bind: p.code), \(bind: p.nameZh), \(bind: p.nameEn), \(bind: p.startsAt.millis), \(bind: p.endsAt.millis),
                        \(bind: p.channels.map(\.rawValue).joined(separator: ",")),
                        \(bind: p.paymentMethods?.map(\.rawValue).joined(separator: ",")),
                        \(bind: p.faceValues?.map { String($0.amountMinor) }.joined(separator: ",")), \(bind: p.minimum?.amountMinor),
                        \(bind: p.bonus.largest.currency.code), \(bind: fixed), \(bind: bps), \(bind: cap), \(bind: Int64(p.firstRechargeOnly ? 1 : 0)),
                        \(bind: p.perNumberLimit.map { Int64($0) }), \(bind: budgetCount), \(bind: budgetAmount), \(bind: p.fundedBy),
                        \(bind: p.createdBy), \(bind: p.createdAt.millis), \(bind: p.endedAt?.millis), \(bind: p.endedBy),
                        \(bind: Int64(p.used.count)), \(bind: p.used.amount.amountMinor))
                ON CONFLICT DO NOTHING RETURNING code
                """
            ).all().isEmpty)
    }

    func promotion(code: String, forUpdate: Bool) async throws -> Promotion? {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.promotionColumns) FROM promotions WHERE code = \(bind: code)\(unsafeRaw: forUpdate ? forUpdateClause : "")"
        ).first().map(Self.promotion)
    }

    func promotions(limit: Int) async throws -> [Promotion] {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.promotionColumns) FROM promotions ORDER BY created_at DESC, code LIMIT \(unsafeRaw: String(limit))"
        ).all().map(Self.promotion)
    }

    func runningPromotions(at time: Date) async throws -> [Promotion] {
        let now = time.millis
        return try await db.raw(
            """
            SELECT \(unsafeRaw: Self.promotionColumns) FROM promotions
            WHERE ends_at > \(bind: now) AND starts_at <= \(bind: now) AND (ended_at IS NULL OR ended_at > \(bind: now))
            ORDER BY code LIMIT 100
            """
        ).all().map(Self.promotion)
    }

    func endPromotion(code: String, at: Date, by: String) async throws -> Bool {
        !(try await db.raw(
            """
            UPDATE promotions SET ended_at = \(bind: at.millis), ended_by = \(bind: by)
            WHERE code = \(bind: code) AND ended_at IS NULL RETURNING code
            """
        ).all().isEmpty)
    }

    func promotionUse(orderID: String, forUpdate: Bool) async throws -> PromotionUse? {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.promotionUseColumns) FROM promotion_uses WHERE order_id = \(bind: orderID)\(unsafeRaw: forUpdate ? forUpdateClause : "")
            """
        ).first().map(Self.promotionUse)
    }

    func setClawedBack(orderID: String, to amount: Money, expected: Money) async throws -> Bool {
        !(try await db.raw(
            """
            UPDATE promotion_uses SET clawed_back = \(bind: amount.amountMinor)
            WHERE order_id = \(bind: orderID) AND clawed_back = \(bind: expected.amountMinor) RETURNING order_id
            """
        ).all().isEmpty)
    }

    func promotionUseCount(code: String, lineID: String) async throws -> Int {
        let row = try await db.raw(
            "SELECT count(*) AS n FROM promotion_uses WHERE promotion_code = \(bind: code) AND line_id = \(bind: lineID)"
        ).first()
        return Int(try row?.decode(column: "n", as: Int64.self) ?? 0)
    }

    func hasBeenCredited(lineID: String) async throws -> Bool {
        try await db.raw(
            "SELECT 1 AS one FROM recharge_orders WHERE line_id = \(bind: lineID) AND credited_at IS NOT NULL LIMIT 1"
        ).first() != nil
    }

    func setPromotionUsage(code: String, to usage: PromotionUsage, expectedCount: Int) async throws -> Bool {
        !(try await db.raw(
            """
            UPDATE promotions SET used_count = \(bind: Int64(usage.count)), used_amount = \(bind: usage.amount.amountMinor)
            WHERE code = \(bind: code) AND used_count = \(bind: Int64(expectedCount)) RETURNING code
            """
        ).all().isEmpty)
    }

    func insertPromotionUse(_ use: PromotionUse) async throws {
        try await db.raw(
            """
            INSERT INTO promotion_uses (\(unsafeRaw: Self.promotionUseColumns))
            VALUES (\(bind: use.orderID), \(bind: use.promotionCode), \(bind: use.lineID), \(bind: use.bonus.amountMinor),
                    \(bind: use.bonus.currency.code), \(bind: use.transferID), \(bind: use.createdAt.millis), \(bind: use.clawedBack.amountMinor))
            """
        ).run()
    }
}
