import BaohaoDomain
import Foundation

/// Subscriber accounts, codes and sessions, staff accounts and sessions, and the console's
/// counts on the in-memory tables.
extension InMemorySession {
    // MARK: Subscribers

    func insertSubscriberAccount(_ account: SubscriberAccount) async throws {
        try mutate { t in
            let keyTaken = account.calendarKey.map { key in t.subscriberAccounts.values.contains { $0.calendarKey == key } } ?? false
            if t.subscriberAccounts[account.id] != nil || keyTaken { throw StoreError.duplicate("subscriber_accounts") }
            t.subscriberAccounts[account.id] = account
        }
    }

    func subscriberAccount(id: String) async throws -> SubscriberAccount? { look { $0.subscriberAccounts[id] } }

    func subscriberAccount(calendarKey: String) async throws -> SubscriberAccount? {
        look { $0.subscriberAccounts.values.first { $0.calendarKey == calendarKey } }
    }

    func setCalendarKey(accountID: String, key: String?) async throws {
        try mutate { t in
            if let key, t.subscriberAccounts.values.contains(where: { $0.calendarKey == key && $0.id != accountID }) {
                throw StoreError.duplicate("subscriber_accounts.calendar_key")
            }
            t.subscriberAccounts[accountID]?.calendarKey = key
        }
    }

    func linkNumber(lineID: String, accountID: String, at: Date) async throws {
        try mutate { t in
            guard t.lines[lineID] != nil, t.subscriberAccounts[accountID] != nil else {
                throw StoreError.corrupt("subscriber_lines: no line \(lineID) or account \(accountID)")
            }
            t.subscriberLines[lineID] = .init(accountID: accountID, verifiedAt: at)
        }
    }

    func accountID(lineID: String) async throws -> String? { look { $0.subscriberLines[lineID]?.accountID } }

    func linkedLines(accountID: String) async throws -> [Line] {
        look { t in
            t.subscriberLines.filter { $0.value.accountID == accountID }.sorted {
                ($0.value.verifiedAt, $0.key) < ($1.value.verifiedAt, $1.key)
            }
            .compactMap { t.lines[$0.key] }
        }
    }

    func insertCodeChallenge(_ challenge: CodeChallenge) async throws {
        try mutate { t in
            if t.codeChallenges[challenge.id] != nil { throw StoreError.duplicate("code_challenges") }
            t.codeChallenges[challenge.id] = challenge
        }
    }

    func codeChallenge(id: String, forUpdate: Bool) async throws -> CodeChallenge? { look { $0.codeChallenges[id] } }

    func updateCodeChallenge(_ challenge: CodeChallenge) async throws {
        try mutate { t in
            t.codeChallenges[challenge.id]?.attempts = challenge.attempts
            t.codeChallenges[challenge.id]?.consumedAt = challenge.consumedAt
        }
    }

    func codeActivity(msisdn: MSISDN, since: Date) async throws -> CodeActivity {
        look { t in
            let codes = t.codeChallenges.values.filter { $0.msisdn == msisdn && $0.createdAt >= since }
            return CodeActivity(
                codes: codes.count, failedAttempts: codes.reduce(0) { $0 + $1.attempts }, lastCreatedAt: codes.map(\.createdAt).max())
        }
    }

    func codeCount(clientKey: String, since: Date) async throws -> Int {
        look { t in t.codeChallenges.values.filter { $0.clientKey == clientKey && $0.createdAt >= since }.count }
    }

    func insertSubscriberSession(_ session: SubscriberSession) async throws {
        try mutate { t in
            if t.subscriberSessions[session.tokenHash] != nil { throw StoreError.duplicate("subscriber_sessions") }
            t.subscriberSessions[session.tokenHash] = session
        }
    }

    func subscriberSession(tokenHash: String) async throws -> SubscriberSession? { look { $0.subscriberSessions[tokenHash] } }

    func touchSubscriberSession(tokenHash: String, at: Date) async throws {
        try mutate { t in t.subscriberSessions[tokenHash]?.lastSeenAt = at }
    }

    func deleteSubscriberSession(tokenHash: String) async throws {
        try mutate { t in t.subscriberSessions[tokenHash] = nil }
    }

    // MARK: Staff

    func insertStaff(_ account: StaffAccount) async throws {
        try mutate { t in
            if let code = account.outletCode, t.outlets[code] == nil {
                throw StoreError.corrupt("staff_accounts.outlet_code: no outlet \(code)")
            }
            if t.staff[account.id] != nil || t.staff.values.contains(where: { $0.username == account.username }) {
                throw StoreError.duplicate("staff_accounts.username")
            }
            t.staff[account.id] = account
        }
    }

    func staff(username: String) async throws -> StaffAccount? { look { $0.staff.values.first { $0.username == username } } }

    func staff(id: String) async throws -> StaffAccount? { look { $0.staff[id] } }

    func staffAccounts() async throws -> [StaffAccount] {
        look { t in Array(t.staff.values.sorted { $0.username < $1.username }.prefix(1000)) }
    }

    func updateStaff(_ account: StaffAccount, at: Date) async throws {
        try mutate { t in if t.staff[account.id] != nil { t.staff[account.id] = account } }
    }

    func insertStaffSession(_ session: StaffSession) async throws {
        try mutate { t in
            guard t.staff[session.staffID] != nil else { throw StoreError.corrupt("staff_sessions.staff_id: no staff \(session.staffID)") }
            if t.staffSessions[session.tokenHash] != nil { throw StoreError.duplicate("staff_sessions") }
            t.staffSessions[session.tokenHash] = session
        }
    }

    func staffSession(tokenHash: String) async throws -> StaffSession? { look { $0.staffSessions[tokenHash] } }

    func touchStaffSession(tokenHash: String, at: Date) async throws {
        try mutate { t in t.staffSessions[tokenHash]?.lastSeenAt = at }
    }

    func deleteStaffSession(tokenHash: String) async throws {
        try mutate { t in t.staffSessions[tokenHash] = nil }
    }

    func deleteStaffSessions(staffID: String) async throws {
        try mutate { t in t.staffSessions = t.staffSessions.filter { $0.value.staffID != staffID } }
    }

    func rechargeTallies(from: Date, until: Date) async throws -> [RechargeTally] {
        look { t in
            struct Group: Hashable {
                let channel: String
                let method: String
                let currency: Currency
            }
            var groups: [Group: (count: Int, amount: Int64, fees: Int64)] = [:]
            for order in t.orders.values {
                guard let credited = order.creditedAt, credited >= from, credited < until else { continue }
                let group = Group(channel: order.channel.rawValue, method: order.paymentMethod.rawValue, currency: order.total.currency)
                groups[group, default: (0, 0, 0)].count += 1
                groups[group, default: (0, 0, 0)].amount += order.amount.amountMinor
                groups[group, default: (0, 0, 0)].fees += order.fee.amountMinor
            }
            return groups.sorted {
                ($0.key.channel, $0.key.method, $0.key.currency.code) < ($1.key.channel, $1.key.method, $1.key.currency.code)
            }
            .map {
                RechargeTally(
                    channel: $0.key.channel, paymentMethod: $0.key.method, count: $0.value.count,
                    amount: Money($0.value.amount, $0.key.currency), fees: Money($0.value.fees, $0.key.currency))
            }
        }
    }

    func dailyCredits(from: Date, until: Date) async throws -> [DailyCredit] {
        look { t in
            var sums: [String: (LocalDate, String, Currency, Int64)] = [:]
            for order in t.orders.values {
                guard let credited = order.creditedAt, credited >= from, credited < until else { continue }
                let day = LocalDate(credited, in: Deadline.mainlandTimeZone)
                let key = "\(day.iso)|\(order.channel.rawValue)|\(order.amount.currency.code)"
                sums[key, default: (day, order.channel.rawValue, order.amount.currency, 0)].3 += order.amount.amountMinor
            }
            return sums.values.map { DailyCredit(day: $0.0, channel: $0.1, amount: Money($0.3, $0.2)) }
        }
    }

    func dailyStageMoves(since from: Date) async throws -> [DailyStageMove] {
        look { t in
            var counts: [String: (LocalDate, LineStatus, LineStatus, Int)] = [:]
            for row in t.stageChanges where row.change.recordedAt >= from {
                let day = LocalDate(row.change.recordedAt, in: Deadline.mainlandTimeZone)
                let key = "\(day.iso)|\(row.change.from.rawValue)|\(row.change.to.rawValue)"
                counts[key, default: (day, row.change.from, row.change.to, 0)].3 += 1
            }
            return counts.values.map { DailyStageMove(day: $0.0, from: $0.1, to: $0.2, count: $0.3) }
        }
    }

    func dailyLinesAdded(since from: Date) async throws -> [LocalDate: Int] {
        look { t in
            t.lines.values.filter { $0.createdAt >= from }.reduce(into: [:]) {
                $0[LocalDate($1.createdAt, in: Deadline.mainlandTimeZone), default: 0] += 1
            }
        }
    }

    func lineCountsByStatus() async throws -> [LineStatus: Int] {
        look { t in t.lines.values.reduce(into: [:]) { $0[$1.status, default: 0] += 1 } }
    }

    func lines(statuses: [LineStatus], limit: Int) async throws -> [Line] {
        look { t in
            let wanted = Set(statuses)
            let never = Date(timeIntervalSince1970: 9_000_000_000_000)
            return Array(
                t.lines.values.filter { wanted.contains($0.status) }.sorted {
                    ($0.retention.reviewAt ?? never, $0.id) < ($1.retention.reviewAt ?? never, $1.id)
                }.prefix(max(limit, 0)))
        }
    }

    func notificationCount(outcome: NotificationOutcome, since: Date) async throws -> Int {
        look { t in t.notifications.filter { $0.outcome == outcome && $0.receivedAt >= since }.count }
    }

    func purgeSignIns(
        codesCreatedBefore: Date, subscriberSessionsSeenBefore: Date, staffSessionsSeenBefore: Date, staffTokensSeenBefore: Date,
        now: Date
    ) async throws -> Int {
        try mutate { t in
            let before = t.codeChallenges.count + t.subscriberSessions.count + t.staffSessions.count
            t.codeChallenges = t.codeChallenges.filter { $0.value.createdAt >= codesCreatedBefore }
            t.subscriberSessions = t.subscriberSessions.filter {
                $0.value.lastSeenAt >= subscriberSessionsSeenBefore && $0.value.expiresAt > now
            }
            t.staffSessions = t.staffSessions.filter { entry in
                let session = entry.value
                let idleSince = session.kind == .browser ? staffSessionsSeenBefore : staffTokensSeenBefore
                return session.lastSeenAt >= idleSince && session.expiresAt > now
            }
            return before - (t.codeChallenges.count + t.subscriberSessions.count + t.staffSessions.count)
        }
    }
}
