import BaohaoDomain
import Foundation
import SQLKit

/// Hotline call records. The dialog and the last answer are JSON; the outcome, steps and order are
/// also columns, for the console's list.
extension SQLSession {
    static let ivrCallColumns = """
        id, front_end, caller_masked, dialog, turn, last_turn, charging_order_id, charged_order_id, card_last4, started_at, \
        updated_at, ended_at
        """

    static func ivrCall(_ row: any SQLRow) throws -> IVRCall {
        func decoded<T: Decodable>(_ type: T.Type, _ column: String) throws -> T? {
            guard let text = try row.decode(column: column, as: String?.self) else { return nil }
            do { return try StoredJSON.decode(T.self, text) } catch {
                throw StoreError.corrupt("ivr_calls.\(column): \(error)")
            }
        }
        guard let dialog = try decoded(IVRDialog.self, "dialog") else { throw StoreError.corrupt("ivr_calls.dialog") }
        return IVRCall(
            id: try row.decode(column: "id", as: String.self), frontEnd: try enumValue(row, "front_end", IVRFrontEnd.self),
            callerMasked: try row.decode(column: "caller_masked", as: String.self), dialog: dialog,
            turn: Int(try row.decode(column: "turn", as: Int64.self)), lastTurn: try decoded(IVRTurn.self, "last_turn"),
            chargingOrderID: try row.decode(column: "charging_order_id", as: String?.self),
            chargedOrderID: try row.decode(column: "charged_order_id", as: String?.self),
            cardLast4: try row.decode(column: "card_last4", as: String?.self), startedAt: try date(row, "started_at"),
            updatedAt: try date(row, "updated_at"), endedAt: try optionalDate(row, "ended_at"))
    }

    func insertIVRCall(_ call: IVRCall) async throws -> Bool {
        !(try await db.raw(
            """
            INSERT INTO ivr_calls (id, front_end, caller_masked, dialog, turn, last_turn, outcome, steps, order_id, started_at, updated_at)
            VALUES (\(bind: call.id), \(bind: call.frontEnd.rawValue), \(bind: call.callerMasked), \(bind: try StoredJSON.text(call.dialog)),
                    \(bind: Int64(call.turn)), \(bind: try call.lastTurn.map(StoredJSON.text)), \(bind: call.dialog.outcome.rawValue),
                    \(bind: call.dialog.steps.map(\.rawValue).joined(separator: " ")), \(bind: call.dialog.orderID),
                    \(bind: call.startedAt.millis), \(bind: call.updatedAt.millis))
            ON CONFLICT DO NOTHING RETURNING id
            """
        ).all().isEmpty)
    }

    func ivrCall(id: String, forUpdate: Bool) async throws -> IVRCall? {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.ivrCallColumns) FROM ivr_calls WHERE id = \(bind: id)\(unsafeRaw: forUpdate ? forUpdateClause : "")"
        ).first().map(Self.ivrCall)
    }

    func updateIVRCall(_ call: IVRCall, expectedTurn: Int) async throws -> Bool {
        !(try await db.raw(
            """
            UPDATE ivr_calls SET dialog = \(bind: try StoredJSON.text(call.dialog)), turn = \(bind: Int64(call.turn)),
              last_turn = \(bind: try call.lastTurn.map(StoredJSON.text)), outcome = \(bind: call.dialog.outcome.rawValue),
              steps = \(bind: call.dialog.steps.map(\.rawValue).joined(separator: " ")), order_id = \(bind: call.dialog.orderID),
              updated_at = \(bind: call.updatedAt.millis), ended_at = \(bind: call.endedAt?.millis)
            WHERE id = \(bind: call.id) AND turn = \(bind: Int64(expectedTurn)) RETURNING id
            """
        ).all().isEmpty)
    }

    func updateIVRCharge(callID: String, chargingOrderID: String?, chargedOrderID: String?, cardLast4: String?) async throws {
        try await db.raw(
            """
            UPDATE ivr_calls SET charging_order_id = \(bind: chargingOrderID), charged_order_id = \(bind: chargedOrderID),
              card_last4 = COALESCE(\(bind: cardLast4), card_last4)
            WHERE id = \(bind: callID)
            """
        ).run()
    }

    func ivrCalls(limit: Int) async throws -> [IVRCall] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.ivrCallColumns) FROM ivr_calls
            ORDER BY started_at DESC, id DESC LIMIT \(unsafeRaw: String(max(limit, 0)))
            """
        ).all().map(Self.ivrCall)
    }
}
