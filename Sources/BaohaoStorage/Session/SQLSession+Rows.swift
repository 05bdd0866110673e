import BaohaoDomain
import Foundation
import SQLKit

/// Reading domain values back from rows; anything unexpected is ``StoreError/corrupt(_:)``.
extension SQLSession {
    static func date(_ row: any SQLRow, _ column: String) throws -> Date {
        Date(millis: try row.decode(column: column, as: Int64.self))
    }

    static func optionalDate(_ row: any SQLRow, _ column: String) throws -> Date? {
        try row.decode(column: column, as: Int64?.self).map(Date.init(millis:))
    }

    static func currency(_ row: any SQLRow, _ column: String) throws -> Currency {
        let code = try row.decode(column: column, as: String.self)
        guard let currency = Currency(code: code) else { throw StoreError.corrupt("currency \(code)") }
        return currency
    }

    static func money(_ row: any SQLRow, _ amount: String, _ currency: String) throws -> Money {
        Money(try row.decode(column: amount, as: Int64.self), try self.currency(row, currency))
    }

    static func msisdn(_ row: any SQLRow, _ column: String) throws -> MSISDN {
        let raw = try row.decode(column: column, as: String.self)
        do { return try MSISDN(parsing: raw) } catch { throw StoreError.corrupt("msisdn") }
    }

    static func enumValue<E: RawRepresentable>(_ row: any SQLRow, _ column: String, _ type: E.Type) throws -> E where E.RawValue == String {
        let raw = try row.decode(column: column, as: String.self)
        guard let value = E(rawValue: raw) else { throw StoreError.corrupt("\(column) \(raw)") }
        return value
    }

    static func plan(_ row: any SQLRow) throws -> Plan {
        try Plan(
            code: try row.decode(column: "code", as: String.self), name: try row.decode(column: "name", as: String.self),
            englishName: try row.decode(column: "name_en", as: String?.self), monthlyFee: try money(row, "monthly_fee", "currency"),
            policyCode: try row.decode(column: "policy_code", as: String?.self))
    }

    static func line(_ row: any SQLRow) throws -> Line {
        Line(
            id: try row.decode(column: "id", as: String.self), msisdn: try msisdn(row, "msisdn"),
            mobileOperator: try enumValue(row, "operator", MobileOperator.self),
            planCode: try row.decode(column: "plan_code", as: String.self),
            holderName: try row.decode(column: "holder_name", as: String.self),
            status: try enumValue(row, "status", LineStatus.self), balance: try money(row, "balance", "currency"),
            createdAt: try date(row, "created_at"), policyCode: try row.decode(column: "policy_code", as: String?.self),
            retention: RetentionState(
                stageSince: try date(row, "stage_since"), arrearsSince: try day(row, "arrears_since"),
                lastActivityAt: try date(row, "last_activity_at"), validUntil: try day(row, "valid_until"),
                nextChargeAt: try day(row, "next_charge_at"), reviewAt: try optionalDate(row, "review_at"),
                quarantineUntil: try optionalDate(row, "quarantine_until")))
    }

    static func day(_ row: any SQLRow, _ column: String) throws -> LocalDate? {
        try row.decode(column: column, as: Int64?.self).map { LocalDate(dayNumber: Int($0)) }
    }

    static func paymentRecord(_ row: any SQLRow) throws -> PaymentRecord {
        PaymentRecord(
            provider: try row.decode(column: "provider", as: String.self),
            transactionID: try row.decode(column: "provider_txn_id", as: String.self),
            orderID: try row.decode(column: "order_id", as: String.self), amount: try money(row, "amount", "currency"),
            paidAt: try date(row, "paid_at"), recordedAt: try date(row, "recorded_at"),
            needsRefund: try row.decode(column: "needs_refund", as: Int64.self) != 0)
    }

    static func order(_ row: any SQLRow) throws -> RechargeOrder {
        let currency = try self.currency(row, "currency")
        func money(_ column: String) throws -> Money { Money(try row.decode(column: column, as: Int64.self), currency) }
        return RechargeOrder(
            id: try row.decode(column: "id", as: String.self), lineID: try row.decode(column: "line_id", as: String.self),
            msisdn: try msisdn(row, "msisdn"), channel: try enumValue(row, "channel", Channel.self),
            paymentMethod: try enumValue(row, "payment_method", PaymentMethod.self), amount: try money("amount"),
            fee: try money("fee"), total: try money("total"), status: try enumValue(row, "status", OrderStatus.self),
            idempotencyKey: try row.decode(column: "idempotency_key", as: String?.self),
            requestFingerprint: try row.decode(column: "request_fingerprint", as: String?.self),
            createdAt: try date(row, "created_at"), expiresAt: try date(row, "expires_at"),
            paidAt: try optionalDate(row, "paid_at"), creditedAt: try optionalDate(row, "credited_at"),
            providerTransactionID: try row.decode(column: "provider_txn_id", as: String?.self),
            receiptNumber: try row.decode(column: "receipt_no", as: String?.self),
            latePayment: try row.decode(column: "late_payment", as: Int64.self) != 0,
            promotionCode: try row.decode(column: "promotion_code", as: String?.self), offeredBonus: try money("offered_bonus"))
    }
}
