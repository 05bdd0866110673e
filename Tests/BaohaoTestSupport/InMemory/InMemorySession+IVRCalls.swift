import BaohaoDomain
import Foundation

/// Hotline call records on the in-memory tables. The dialog is kept as the databases keep it: run
/// through its JSON form, so nothing the encoding leaves out (keyed-in card digits) survives here.
extension InMemorySession {
    static func stored(_ call: IVRCall) throws -> IVRCall {
        var call = call
        call.dialog = try JSONDecoder().decode(IVRDialog.self, from: JSONEncoder().encode(call.dialog))
        return call
    }

    func insertIVRCall(_ call: IVRCall) async throws -> Bool {
        let stored = try Self.stored(call)
        return try mutate { t in
            guard t.ivrCalls[call.id] == nil else { return false }
            t.ivrCalls[call.id] = stored
            return true
        }
    }

    func ivrCall(id: String, forUpdate: Bool) async throws -> IVRCall? { look { $0.ivrCalls[id] } }

    func updateIVRCall(_ call: IVRCall, expectedTurn: Int) async throws -> Bool {
        let stored = try Self.stored(call)
        return try mutate { t in
            guard var current = t.ivrCalls[call.id], current.turn == expectedTurn else { return false }
            current.dialog = stored.dialog
            current.turn = stored.turn
            current.lastTurn = stored.lastTurn
            current.updatedAt = stored.updatedAt
            current.endedAt = stored.endedAt
            t.ivrCalls[call.id] = current
            return true
        }
    }

    func updateIVRCharge(callID: String, chargingOrderID: String?, chargedOrderID: String?, cardLast4: String?) async throws {
        try mutate { t in
            guard var call = t.ivrCalls[callID] else { return }
            if let charged = chargedOrderID, t.ivrCalls.values.contains(where: { $0.id != callID && $0.chargedOrderID == charged }) {
                throw StoreError.duplicate("ivr_calls.charged_order_id")
            }
            call.chargingOrderID = chargingOrderID
            call.chargedOrderID = chargedOrderID
            call.cardLast4 = cardLast4 ?? call.cardLast4
            t.ivrCalls[callID] = call
        }
    }

    func ivrCalls(limit: Int) async throws -> [IVRCall] {
        look { t in Array(t.ivrCalls.values.sorted { ($0.startedAt, $0.id) > ($1.startedAt, $1.id) }.prefix(max(limit, 0))) }
    }
}
