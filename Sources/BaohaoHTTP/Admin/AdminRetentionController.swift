import BaohaoDomain
import Foundation
import Hummingbird

/// The operator's view of retention: where a line stands, its stage history and reminders;
/// reminder preferences; reported uses; policies; job runs.
struct AdminRetentionController<Context: StaffIdentityContext> {
    /// `BAOHAO_ADMIN_TOKEN`; `nil`: only admins' staff tokens are accepted.
    let adminToken: String?
    let clock: any WallClock
    let metrics: BaohaoMetrics
    let reminders: ReminderService
    let retention: RetentionService
    let staff: StaffService

    func addRoutes(to router: Router<Context>) {
        let group = router.group("/v1/admin").add(
            middleware: AdminAuthMiddleware<Context>(token: self.adminToken, staff: self.staff))
        group.get("/policies", use: policies)
        group.get("/lines/:msisdn/retention", use: retention)
        group.post("/lines/:msisdn/contact", use: setContact)
        group.post("/lines/:msisdn/activity", use: activity)
        group.post("/jobs/run", use: runJobs)
        group.get("/jobs", use: jobRuns)
    }

    func msisdn(_ context: Context) throws -> String {
        let raw = try context.parameters.require("msisdn")
        return raw.removingPercentEncoding ?? raw
    }

    @Sendable func policies(_ request: Request, context: Context) async throws -> JSONResponse<[PolicyRepresentation]> {
        JSONResponse(self.retention.book.all.map(PolicyRepresentation.init))
    }

    @Sendable func retention(_ request: Request, context: Context) async throws -> JSONResponse<RetentionRepresentation> {
        let view = try await self.retention.view(msisdn: try msisdn(context))
        return JSONResponse(RetentionRepresentation(view))
    }

    struct ContactBody: Decodable {
        let channels: [String]
        let email: String?
        let language: String?
        let quietStart: Int?
        let quietEnd: Int?
        let timeZone: String?
        let optedOut: Bool?

        enum CodingKeys: String, CodingKey {
            case channels, email, language
            case quietStart = "quiet_start"
            case quietEnd = "quiet_end"
            case timeZone = "time_zone"
            case optedOut = "opted_out"
        }
    }

    @Sendable func setContact(_ request: Request, context: Context) async throws -> JSONResponse<ContactRepresentation> {
        let body = try await request.decodeJSON(ContactBody.self, limit: 4 * 1024)
        var channels: [ReminderChannel] = []
        for raw in body.channels.prefix(3) {
            guard let channel = ReminderChannel(rawValue: raw) else {
                throw Problem(.unprocessableContent, "validation-error", detail: "channels are sms, email, webhook", field: "channels")
            }
            if !channels.contains(channel) { channels.append(channel) }
        }
        let language =
            try body.language.map { raw -> Language in
                guard let language = Language(rawValue: raw) else {
                    throw Problem(.unprocessableContent, "validation-error", detail: "zh or en", field: "language")
                }
                return language
            } ?? .zh
        let zone = try body.timeZone.map { raw -> TimeZone in
            guard raw.count <= 64, let zone = TimeZone(identifier: raw) else {
                throw Problem(.unprocessableContent, "validation-error", detail: "an IANA time zone", field: "time_zone")
            }
            return zone
        }
        let saved = try await self.retention.setContact(msisdn: try msisdn(context)) { lineID in
            ContactPreferences(
                lineID: lineID, channels: channels, email: body.email, language: language, quietStart: body.quietStart,
                quietEnd: body.quietEnd, timeZone: zone, optedOut: body.optedOut ?? false)
        }
        return JSONResponse(ContactRepresentation(saved))
    }

    struct ActivityBody: Decodable {
        let kind: String
        let at: String?
    }

    @Sendable func activity(_ request: Request, context: Context) async throws -> JSONResponse<RetentionRepresentation> {
        let body = try await request.decodeJSON(ActivityBody.self, limit: 1024)
        guard let kind = ActivityKind(rawValue: body.kind) else {
            throw Problem(
                .unprocessableContent, "validation-error", detail: ActivityKind.allCases.map(\.rawValue).joined(separator: ", "),
                field: "kind")
        }
        var at = self.clock.now()
        if let raw = body.at {
            guard let parsed = Timestamp.parse(raw) else {
                throw Problem(.unprocessableContent, "validation-error", detail: "an RFC 3339 time", field: "at")
            }
            at = parsed
        }
        let number = try msisdn(context)
        _ = try await self.retention.recordActivity(msisdn: number, kind: kind, at: at)
        return JSONResponse(RetentionRepresentation(try await self.retention.view(msisdn: number)))
    }

    struct JobRunResult: Encodable, Sendable {
        let reviews: RetentionService.RunSummary
        let reminders: ReminderService.DispatchSummary
    }

    @Sendable func runJobs(_ request: Request, context: Context) async throws -> JSONResponse<JobRunResult> {
        let started = self.clock.now()
        let timer = ContinuousClock.now
        let reviews = try await self.retention.runReviews(maximumBatches: 50)
        let reminders = try await self.reminders.dispatch(limit: 500)
        self.metrics.retentionRun(reviews, reminders: reminders, elapsed: ContinuousClock.now - timer)
        try await self.retention.recordJobRun(
            job: "retention", startedAt: started, processed: reviews.reviewed + reminders.claimed,
            detail: "admin api: \(reviews.charges) charge(s), \(reviews.stageChanges) stage change(s), \(reminders.sent) reminder(s) sent")
        return JSONResponse(JobRunResult(reviews: reviews, reminders: reminders))
    }

    struct JobRunRepresentation: Encodable, Sendable {
        let id: String
        let job: String
        let startedAt: String
        let finishedAt: String
        let processed: Int
        let detail: String

        enum CodingKeys: String, CodingKey {
            case id, job, processed, detail
            case startedAt = "started_at"
            case finishedAt = "finished_at"
        }
    }

    @Sendable func jobRuns(_ request: Request, context: Context) async throws -> JSONResponse<[JobRunRepresentation]> {
        let limit = try request.queryInteger("limit", in: 1...500, default: 50)
        return JSONResponse(
            try await self.retention.jobRuns(limit: limit).map {
                JobRunRepresentation(
                    id: $0.id, job: $0.job, startedAt: Timestamp.format($0.startedAt), finishedAt: Timestamp.format($0.finishedAt),
                    processed: $0.processed, detail: $0.detail)
            })
    }
}
