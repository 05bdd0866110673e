import BaohaoDomain
import Foundation
import Testing

@Suite("Policy files")
struct PolicyLoaderTests {
    static let good = """
        {
          "format": 1,
          "code": "test-plan",
          "version": 1,
          "effective_from": "2026-01-01",
          "name": { "zh": "测试", "en": "Test" },
          "operator": "Test",
          "sources": ["https://example.org/rules"],
          "time_zone": "Asia/Shanghai",
          "currency": "CNY",
          "monthly_fee": { "amount": "5.00", "day_of_month": 1 },
          "after_lapse": [{ "stage": "suspended", "days": 30 }],
          "quarantine_days": 90
        }
        """

    func error(_ text: String) -> PolicyLoadError? {
        do {
            _ = try PolicyLoader.parse(text, file: "bad.json")
            return nil
        } catch {
            return error
        }
    }

    @Test func shippedPoliciesLoadAndCiteSources() throws {
        let book = try PolicyBook.standard()
        #expect(Set(book.all.map(\.code)) == ["cn-keep5", "giffgaff", "three-uk", "telkomsel", "cmhk", "in-trai"])
        for policy in book.all { #expect(!policy.sources.isEmpty) }
        let parsed = try PolicyLoader.parse(Self.good, file: "good.json")
        #expect(parsed.monthlyFee?.fee == Money(500, .cny))
        #expect(parsed.reminders.beforeDays == [30, 7, 1])
    }

    @Test(arguments: [
        ("\"day_of_month\": 1", "\"day_of_month\": 31", 11, "\"day_of_month\" must be a whole number from 1 to 28"),
        ("\"amount\": \"5.00\"", "\"amount\": 5", 11, "\"amount\" must be an amount in CNY written as a string, e.g. \"5.00\""),
        ("\"stage\": \"suspended\"", "\"stage\": \"reclaimed\"", 12, "a stage after lapse is one of grace, suspended, barred"),
        (
            "\"time_zone\": \"Asia/Shanghai\"", "\"time_zone\": \"Mars/Olympus\"", 9,
            "\"time_zone\" must be an IANA zone such as Asia/Shanghai"
        ),
        (
            "\"sources\": [\"https://example.org/rules\"]", "\"sources\": []", 8,
            "\"sources\" must list at least one URL where the rules were read"
        ),
        ("\"quarantine_days\": 90", "\"quarantine_days\": 90, \"colour\": \"red\"", 13, "unknown key \"colour\" in the policy"),
        ("\"format\": 1", "\"format\": 2", 2, "format 2 is not supported (this build reads 1)"),
        ("\"version\": 1,", "\"version\": 1", 5, "expected ',' or '}'"),
    ])
    func badFilesAreRefusedWithLineAndReason(find: String, replace: String, line: Int, reason: String) throws {
        let failure = try #require(error(Self.good.replacingOccurrences(of: find, with: replace)))
        #expect(failure.file == "bad.json")
        #expect(failure.line == line)
        #expect(failure.reason == reason)
        #expect(failure.description == "bad.json:\(line): \(reason)")
    }

    @Test func aPolicyNeedsARuleAndCannotMixFeeWithMinimumBalance() throws {
        let none = try #require(
            error(Self.good.replacingOccurrences(of: "\"monthly_fee\": { \"amount\": \"5.00\", \"day_of_month\": 1 },", with: "")))
        #expect(none.reason.hasPrefix("a policy needs at least one rule"))
        let both = try #require(
            error(
                Self.good.replacingOccurrences(
                    of: "\"quarantine_days\": 90",
                    with:
                        "\"quarantine_days\": 90,\n\"minimum_balance\": { \"after_inactive_days\": 90, \"charge\": \"20.00\", \"extends_days\": 30 }"
                )))
        #expect(both.line == 14)
        #expect(both.reason == "\"monthly_fee\" and \"minimum_balance\" cannot be combined")
    }

    @Test func versionsTakeEffectOnTheirDate() throws {
        let v1 = try PolicyLoader.parse(Self.good, file: "v1.json")
        let v2 = try PolicyLoader.parse(
            Self.good.replacingOccurrences(of: "\"version\": 1", with: "\"version\": 2")
                .replacingOccurrences(of: "2026-01-01", with: "2026-07-01").replacingOccurrences(of: "5.00", with: "6.00"),
            file: "v2.json")
        let book = try PolicyBook([v1, v2])
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        #expect(book.policy(code: "test-plan", at: LocalDate(iso: "2026-06-30")!.startOfDay(in: zone))?.version == 1)
        #expect(book.policy(code: "test-plan", at: LocalDate(iso: "2026-07-01")!.startOfDay(in: zone))?.version == 2)
        #expect(throws: PolicyLoadError.self) { try PolicyBook([v1, v1]) }
    }
}
