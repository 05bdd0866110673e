import Foundation

/// The events a partner's callback URL receives.
public enum PartnerCallbackType: String, Sendable, Codable, CaseIterable {
    case credited = "topup.credited"
    case failed = "topup.failed"
}

/// Where a callback's delivery is.
public enum PartnerCallbackStatus: String, Sendable, Codable, CaseIterable {
    /// Not yet answered with a 2xx; tried again on the ``CallbackSchedule``.
    case pending
    case delivered
    /// Not answered with a 2xx within the schedule's 24 hours; an operator may replay it.
    case abandoned
}

/// A callback in the outbox: written in the same transaction as the state change it reports, then
/// posted until the partner answers 2xx (at least once; a receiver drops repeats by `event_id`).
public struct PartnerCallback: Sendable, Hashable {
    /// `ev_…`; also the body's `event_id` and the `Baohao-Event-Id` header.
    public let eventID: String
    public let partnerID: String
    public let topupID: String
    public let type: PartnerCallbackType
    /// The JSON body, fixed when the event happened.
    public let body: String
    public var status: PartnerCallbackStatus
    public var attempts: Int
    /// When it is due next (while pending; a claimed one is leased until then).
    public var nextAttemptAt: Date
    public var lastHTTPStatus: Int?
    public var lastError: String?
    public let createdAt: Date
    public var deliveredAt: Date?

    public init(
        eventID: String, partnerID: String, topupID: String, type: PartnerCallbackType, body: String,
        status: PartnerCallbackStatus = .pending,
        attempts: Int = 0, nextAttemptAt: Date, lastHTTPStatus: Int? = nil, lastError: String? = nil, createdAt: Date,
        deliveredAt: Date? = nil
    ) {
        self.eventID = eventID
        self.partnerID = partnerID
        self.topupID = topupID
        self.type = type
        self.body = body
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastHTTPStatus = lastHTTPStatus
        self.lastError = lastError
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
    }

    /// The body of a callback: `{"event_id", "type", "data": <the top-up object>}`.
    public static func body(eventID: String, type: PartnerCallbackType, topup: PartnerTopupView) throws -> String {
        struct Envelope: Encodable {
            let eventID: String
            let type: String
            let data: PartnerTopupView
            enum CodingKeys: String, CodingKey {
                case eventID = "event_id"
                case type, data
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(Envelope(eventID: eventID, type: type.rawValue, data: topup)), as: UTF8.self)
    }
}

/// One try at delivering a callback, for the operator.
public struct PartnerCallbackAttempt: Sendable, Hashable {
    public let eventID: String
    /// 1 for the first try.
    public let number: Int
    public let at: Date
    /// The partner's HTTP status; `nil` when none came (refused, timed out).
    public let httpStatus: Int?
    public let error: String?
    public let durationMillis: Int

    public init(eventID: String, number: Int, at: Date, httpStatus: Int?, error: String?, durationMillis: Int) {
        self.eventID = eventID
        self.number = number
        self.at = at
        self.httpStatus = httpStatus
        self.error = error
        self.durationMillis = durationMillis
    }
}

/// When a callback is tried again: after 10 s, then doubling to at most an hour between tries,
/// until 24 hours after the event; then it is abandoned (and can be replayed).
public struct CallbackSchedule: Sendable, Hashable {
    public let firstRetry: TimeInterval
    public let longestWait: TimeInterval
    public let giveUpAfter: TimeInterval

    public init(firstRetry: TimeInterval = 10, longestWait: TimeInterval = 3600, giveUpAfter: TimeInterval = 24 * 3600) {
        precondition(firstRetry > 0 && longestWait >= firstRetry && giveUpAfter > 0)
        self.firstRetry = firstRetry
        self.longestWait = longestWait
        self.giveUpAfter = giveUpAfter
    }

    public static let standard = CallbackSchedule()

    /// How long an attempt may hold a callback before another process may try it.
    public static let lease: TimeInterval = 60

    /// When to try again after `attempts` failed tries of a callback made at `createdAt`; `nil`
    /// once that would be past the 24 hours.
    public func retry(after attempts: Int, createdAt: Date, now: Date) -> Date? {
        let exponent = min(max(attempts - 1, 0), 20)
        let wait = min(firstRetry * Double(1 << exponent), longestWait)
        let next = now + wait
        return next <= createdAt + giveUpAfter ? next : nil
    }
}
