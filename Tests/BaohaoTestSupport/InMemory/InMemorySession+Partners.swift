import BaohaoDomain
import Foundation

/// Partners on the in-memory tables, with the same checks `verify` makes in SQL.
extension InMemorySession {
    func insertPartner(_ partner: Partner, key: PartnerKey) async throws -> Bool {
        try mutate { t in
            guard t.partners[partner.id] == nil, !t.partners.values.contains(where: { $0.code == partner.code }) else { return false }
            t.partners[partner.id] = partner
            t.partnerKeys[key.keyID] = key
            return true
        }
    }

    func partner(code: String) async throws -> Partner? { look { $0.partners.values.first { $0.code == code } } }

    func partner(id: String, forUpdate: Bool) async throws -> Partner? { look { $0.partners[id] } }

    func partners() async throws -> [Partner] { look { $0.partners.values.sorted { $0.code < $1.code } } }

    func updatePartnerSettings(_ partner: Partner) async throws {
        try mutate { t in
            guard var stored = t.partners[partner.id] else { return }
            stored.name = partner.name
            stored.callbackURL = partner.callbackURL
            stored.rateLimit = partner.rateLimit
            stored.pricing = partner.pricing
            stored.disabledAt = partner.disabledAt
            t.partners[partner.id] = stored
        }
    }

    func insertPartnerKey(_ key: PartnerKey) async throws {
        try mutate { t in
            guard t.partnerKeys[key.keyID] == nil else { throw StoreError.duplicate("partner_keys") }
            t.partnerKeys[key.keyID] = key
        }
    }

    func partnerKey(keyID: String) async throws -> PartnerKey? { look { $0.partnerKeys[keyID] } }

    func partnerKeys(partnerID: String) async throws -> [PartnerKey] {
        look { t in t.partnerKeys.values.filter { $0.partnerID == partnerID }.sorted { ($0.createdAt, $0.keyID) > ($1.createdAt, $1.keyID) }
        }
    }

    func expirePartnerKeys(partnerID: String, at: Date) async throws {
        try mutate { t in
            for (id, key) in t.partnerKeys where key.partnerID == partnerID && key.expiresAt == nil { t.partnerKeys[id]?.expiresAt = at }
        }
    }

    func moveFloat(_ move: FloatMove) async throws -> FloatMovement? {
        try mutate { t in
            guard let partner = t.partners[move.partnerID] else { return nil }
            let newAvailable = partner.float.available.amountMinor + move.availableChange.amountMinor
            let newHeld = partner.float.held.amountMinor + move.heldChange.amountMinor
            guard newAvailable >= 0, newHeld >= 0 else { return nil }
            guard !t.floatMovements.contains(where: { $0.id == move.id }) else { throw StoreError.duplicate("partner_float_movements") }
            let float = PartnerFloat(
                available: Money(newAvailable, partner.float.currency), held: Money(newHeld, partner.float.currency))
            t.partners[move.partnerID]?.float = float
            let sequence = (t.floatSequences[move.partnerID] ?? 0) + 1
            t.floatSequences[move.partnerID] = sequence
            let movement = move.recorded(sequence: sequence, after: float)
            t.floatMovements.append(movement)
            return movement
        }
    }

    func floatMovements(partnerID: String, from: Date, to: Date) async throws -> [FloatMovement] {
        look { t in
            t.floatMovements.filter { $0.partnerID == partnerID && $0.at.millis >= from.millis && $0.at.millis < to.millis }
                .sorted { $0.sequence < $1.sequence }
        }
    }

    func lastFloatMovement(partnerID: String, before date: Date) async throws -> FloatMovement? {
        look { t in
            t.floatMovements.filter { $0.partnerID == partnerID && $0.at.millis < date.millis }
                .max { $0.sequence < $1.sequence }
        }
    }

    func insertDeposit(_ deposit: PartnerDeposit) async throws -> Bool {
        try mutate { t in
            let key = deposit.partnerID + "\u{0}" + deposit.reference
            guard t.partnerDeposits[key] == nil else { return false }
            t.partnerDeposits[key] = deposit
            return true
        }
    }

    func deposit(partnerID: String, reference: String) async throws -> PartnerDeposit? {
        look { $0.partnerDeposits[partnerID + "\u{0}" + reference] }
    }

    func insertPartnerTopup(_ topup: PartnerTopup) async throws -> Bool {
        try mutate { t in
            guard t.partnerTopups[topup.id] == nil,
                !t.partnerTopups.values.contains(where: {
                    ($0.partnerID == topup.partnerID && $0.reference == topup.reference) || $0.orderID == topup.orderID
                })
            else { return false }
            t.partnerTopups[topup.id] = topup
            return true
        }
    }

    func partnerTopup(partnerID: String, reference: String) async throws -> PartnerTopup? {
        look { t in t.partnerTopups.values.first { $0.partnerID == partnerID && $0.reference == reference } }
    }

    func partnerTopup(id: String, forUpdate: Bool) async throws -> PartnerTopup? { look { $0.partnerTopups[id] } }

    func updatePartnerTopup(_ topup: PartnerTopup, expected: PartnerTopupStatus) async throws -> Bool {
        try mutate { t in
            guard t.partnerTopups[topup.id]?.status == expected else { return false }
            t.partnerTopups[topup.id] = topup
            return true
        }
    }

    func acceptedPartnerTopups(before date: Date, limit: Int) async throws -> [PartnerTopup] {
        look { t in
            Array(
                t.partnerTopups.values.filter { $0.status == .accepted && $0.createdAt.millis < date.millis }
                    .sorted { $0.createdAt < $1.createdAt }.prefix(max(limit, 0)))
        }
    }

    func creditedPartnerVolume(since from: Date) async throws -> [String: (count: Int, amount: Int64)] {
        look { t in
            var result: [String: (count: Int, amount: Int64)] = [:]
            for topup in t.partnerTopups.values where topup.status == .credited && topup.updatedAt.millis >= from.millis {
                let current = result[topup.partnerID] ?? (0, 0)
                result[topup.partnerID] = (current.count + 1, current.amount + topup.amount.amountMinor)
            }
            return result
        }
    }

    func insertCallback(_ callback: PartnerCallback) async throws {
        try mutate { t in
            guard t.partnerCallbacks[callback.eventID] == nil else { throw StoreError.duplicate("partner_callbacks") }
            t.partnerCallbacks[callback.eventID] = callback
        }
    }

    func callback(eventID: String) async throws -> PartnerCallback? { look { $0.partnerCallbacks[eventID] } }

    func dueCallbacks(at now: Date, limit: Int) async throws -> [PartnerCallback] {
        look { t in
            Array(
                t.partnerCallbacks.values.filter { $0.status == .pending && $0.nextAttemptAt.millis <= now.millis }
                    .sorted { $0.nextAttemptAt < $1.nextAttemptAt }.prefix(max(limit, 0)))
        }
    }

    func claimCallback(eventID: String, expected: Date, leaseUntil: Date) async throws -> Bool {
        try mutate { t in
            guard let callback = t.partnerCallbacks[eventID], callback.status == .pending,
                callback.nextAttemptAt.millis == expected.millis
            else { return false }
            t.partnerCallbacks[eventID]?.nextAttemptAt = Date(millis: leaseUntil.millis)
            return true
        }
    }

    func updateCallback(_ callback: PartnerCallback) async throws {
        try mutate { t in
            guard t.partnerCallbacks[callback.eventID] != nil else { return }
            var stored = callback
            stored.nextAttemptAt = Date(millis: callback.nextAttemptAt.millis)
            t.partnerCallbacks[callback.eventID] = stored
        }
    }

    func insertCallbackAttempt(_ attempt: PartnerCallbackAttempt) async throws {
        try mutate { t in
            guard !t.callbackAttempts.contains(where: { $0.eventID == attempt.eventID && $0.number == attempt.number }) else {
                throw StoreError.duplicate("partner_callback_attempts")
            }
            t.callbackAttempts.append(attempt)
        }
    }

    func callbacks(partnerID: String, status: PartnerCallbackStatus?, limit: Int) async throws -> [PartnerCallback] {
        look { t in
            Array(
                t.partnerCallbacks.values.filter { $0.partnerID == partnerID && (status == nil || $0.status == status) }
                    .sorted { ($0.createdAt, $0.eventID) > ($1.createdAt, $1.eventID) }.prefix(max(limit, 0)))
        }
    }

    func failingCallbackCounts() async throws -> [String: Int] {
        look { t in
            var result: [String: Int] = [:]
            for callback in t.partnerCallbacks.values
            where callback.status == .abandoned || (callback.status == .pending && callback.attempts > 0) {
                result[callback.partnerID, default: 0] += 1
            }
            return result
        }
    }

    func callbackAttempts(eventID: String) async throws -> [PartnerCallbackAttempt] {
        look { t in t.callbackAttempts.filter { $0.eventID == eventID }.sorted { $0.number < $1.number } }
    }

    /// What `verify` finds wrong with the partners' floats and top-ups (see the SQL version).
    static func partnerProblems(_ t: InMemoryTables) -> [VerificationReport.Problem] {
        var problems: [VerificationReport.Problem] = []
        var sums: [String: Int64] = [:]
        var byID: [String: Transfer] = [:]
        for transfer in t.transfers {
            byID[transfer.id] = transfer
            for posting in transfer.postings { sums[posting.account.code, default: 0] += posting.amount.amountMinor }
        }
        for partner in t.partners.values.sorted(by: { $0.id < $1.id }) {
            let available = partner.float.available.amountMinor
            let held = partner.float.held.amountMinor
            let ledgerAvailable = sums[LedgerAccount.partnerFloat(partnerID: partner.id).code, default: 0]
            let ledgerHeld = sums[LedgerAccount.partnerHeld(partnerID: partner.id).code, default: 0]
            let accepted = t.partnerTopups.values.filter { $0.partnerID == partner.id && $0.status == .accepted }.reduce(Int64(0)) {
                $0 + $1.cost.amountMinor
            }
            let movements = t.floatMovements.filter { $0.partnerID == partner.id }
            let last = movements.max { $0.sequence < $1.sequence }
            let sequence = t.floatSequences[partner.id] ?? 0
            let movedAvailable = last?.after.available.amountMinor ?? 0
            let movedHeld = last?.after.held.amountMinor ?? 0
            if available != ledgerAvailable || held != ledgerHeld || held != accepted || available != movedAvailable || held != movedHeld
                || sequence != Int64(movements.count)
            {
                problems.append(
                    .init(
                        kind: "float_mismatch", subject: partner.id,
                        detail:
                            "cached \(available)/\(held), ledger \(ledgerAvailable)/\(ledgerHeld), movements \(movedAvailable)/\(movedHeld) (\(movements.count) of \(sequence)), accepted top-ups \(accepted)"
                    ))
            }
        }
        for topup in t.partnerTopups.values.sorted(by: { $0.id < $1.id }) {
            let held = LedgerAccount.partnerHeld(partnerID: topup.partnerID)
            func heldMoved(_ id: String?) -> Int64 {
                id.flatMap { byID[$0] }?.postings.filter { $0.account == held }.reduce(Int64(0)) { $0 + $1.amount.amountMinor } ?? 0
            }
            let heldIn = heldMoved(topup.holdTransferID)
            let heldOut = heldMoved(topup.settleTransferID)
            let orderStatus = t.orders[topup.orderID]?.status
            let orderTransfer = t.transfers.first { $0.orderID == topup.orderID }?.id
            let settleKind = topup.settleTransferID.flatMap { byID[$0] }?.kind
            let cost = topup.cost.amountMinor
            var wrong = heldIn != cost
            switch topup.status {
            case .accepted: wrong = wrong || topup.settleTransferID != nil || orderStatus != .pendingPayment
            case .credited:
                wrong =
                    wrong || !(orderStatus == .credited || orderStatus == .voided) || orderTransfer == nil
                    || topup.settleTransferID != orderTransfer || heldOut != -cost
            case .failed: wrong = wrong || orderStatus == .credited || settleKind != .floatRelease || heldOut != -cost
            }
            if wrong {
                problems.append(
                    .init(
                        kind: "topup_mismatch", subject: topup.id,
                        detail:
                            "status \(topup.status.rawValue), order \(orderStatus?.rawValue ?? "none"), cost \(cost), held in \(heldIn), out \(heldOut)"
                    ))
            }
        }
        return problems
    }
}

extension Date {
    /// Milliseconds, as the databases keep times.
    fileprivate var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
    fileprivate init(millis: Int64) { self.init(timeIntervalSince1970: Double(millis) / 1000) }
}
