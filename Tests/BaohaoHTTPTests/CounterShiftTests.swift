import BaohaoDomain
import BaohaoTestSupport
import Foundation
import HTTPTypes
import Testing

/// Counter shifts through the terminal API: open with a float, the X report, the close with the
/// cash counted into a numbered Z report that never changes.
@Suite("Counter shifts")
struct CounterShiftTests {
    static let password = "counter-clerk-password-01"

    /// Adds an outlet (if missing) and a clerk there; returns the clerk's bearer header.
    static func clerk(_ h: Harness, _ username: String, outlet: String = "BJ-XD-01") async throws -> HTTPFields {
        if (try? await h.services.outlets.outlet(code: outlet)) == nil {
            _ = try await h.services.outlets.add(code: outlet, name: "营业厅 \(outlet)", address: "北京市")
        }
        _ = try await h.services.staff.addStaff(
            username: username, displayName: "柜员 \(username)", role: .clerk, password: password, outlet: outlet)
        return try await bearer(h, username)
    }

    static func bearer(_ h: Harness, _ username: String) async throws -> HTTPFields {
        let issued = try await StaffTokenTests.token(h, username, password: password)
        return [.authorization: "Bearer \(issued.json["token"] as? String ?? "")"]
    }

    static func money(_ value: Any?) -> Int? { (value as? [String: Any])?["amount"] as? Int }

    @Test("open, X report, close with a count: the Z report is numbered, frozen, and closing twice is 409", arguments: TestDatabase.all)
    func lifecycle(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let clerk = try await Self.clerk(h, "clerk01")
            let opened = try await h.call(
                .post, "/v1/counter/shifts", body: #"{"opening_float":{"amount":20000,"currency":"CNY"}}"#, headers: clerk)
            #expect(opened.status == .created, "\(opened.text)")
            #expect(Set(opened.json.keys) == ["id", "outlet", "clerk", "status", "opened_at", "opening_float"])
            #expect(opened.json["status"] as? String == "open" && opened.json["outlet"] as? String == "BJ-XD-01")
            #expect(opened.json["clerk"] as? String == "clerk01" && Self.money(opened.json["opening_float"]) == 20000)
            let id = try #require(opened.json["id"] as? String)

            let second = try await h.call(
                .post, "/v1/counter/shifts", body: #"{"opening_float":{"amount":0,"currency":"CNY"}}"#, headers: clerk)
            #expect(second.status == .conflict && (second.json["type"] as? String)?.hasSuffix("shift-already-open") == true)

            let x = try await h.call(.get, "/v1/counter/shifts/\(id)/report", headers: clerk)
            #expect(x.status == .ok && x.json["kind"] as? String == "x" && x.json["z_number"] is NSNull)
            #expect(Self.money(x.json["expected_cash"]) == 20000 && x.json["sales_count"] as? Int == 0)

            h.clock.advance(by: 3600)
            let closed = try await h.call(
                .post, "/v1/counter/shifts/\(id)/close", body: #"{"counted_cash":{"amount":19850,"currency":"CNY"},"note":"少一张 1.5 元"}"#,
                headers: clerk)
            #expect(closed.status == .ok, "\(closed.text)")
            #expect(
                closed.json["kind"] as? String == "z" && closed.json["z_number"] as? Int == 1
                    && closed.json["status"] as? String == "closed")
            #expect(Self.money(closed.json["counted_cash"]) == 19850 && Self.money(closed.json["over_short"]) == -150)
            #expect(closed.json["note"] as? String == "少一张 1.5 元")

            let again = try await h.call(
                .post, "/v1/counter/shifts/\(id)/close", body: #"{"counted_cash":{"amount":20000,"currency":"CNY"}}"#, headers: clerk)
            #expect(again.status == .conflict && (again.json["type"] as? String)?.hasSuffix("shift-closed") == true)
            // A day later, signed in again: the Z report reads exactly as it did at the close.
            h.clock.advance(by: 24 * 3600)
            let clerkAgain = try await Self.bearer(h, "clerk01")
            let z = try await h.call(.get, "/v1/counter/shifts/\(id)/report", headers: clerkAgain)
            #expect(z.text == closed.text)

            // A new shift after the close; its Z report takes the next number.
            let next = try await h.call(
                .post, "/v1/counter/shifts", body: #"{"opening_float":{"amount":5000,"currency":"CNY"}}"#, headers: clerkAgain)
            let nextID = try #require(next.json["id"] as? String)
            let nextZ = try await h.call(
                .post, "/v1/counter/shifts/\(nextID)/close", body: #"{"counted_cash":{"amount":5000,"currency":"CNY"}}"#,
                headers: clerkAgain)
            #expect(nextZ.json["z_number"] as? Int == 2 && Self.money(nextZ.json["over_short"]) == 0)
        }
    }

    @Test("who may: clerks their own outlet, operators read, nobody anonymous; bad amounts are 422", arguments: [TestDatabase.memory])
    func access(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            let clerk = try await Self.clerk(h, "clerk01")
            let other = try await Self.clerk(h, "clerk02", outlet: "SH-PD-02")
            _ = try await h.services.staff.addStaff(username: "ops01", displayName: "值班员", role: .operator, password: Self.password)
            let ops = try await Self.bearer(h, "ops01")
            let id = try #require(
                try await h.call(.post, "/v1/counter/shifts", body: #"{"opening_float":{"amount":100,"currency":"CNY"}}"#, headers: clerk)
                    .json["id"] as? String)

            #expect(
                try await h.call(.post, "/v1/counter/shifts", body: #"{"opening_float":{"amount":100,"currency":"CNY"}}"#).status
                    == .unauthorized)
            #expect(try await h.call(.get, "/v1/counter/shifts/\(id)/report").status == .unauthorized)
            #expect(
                try await h.call(.post, "/v1/counter/shifts", body: #"{"opening_float":{"amount":100,"currency":"CNY"}}"#, headers: ops)
                    .status == .forbidden)
            #expect(try await h.call(.get, "/v1/counter/shifts/\(id)/report", headers: ops).status == .ok)
            #expect(try await h.call(.get, "/v1/counter/shifts/\(id)/report", headers: other).status == .notFound)
            #expect(
                try await h.call(
                    .post, "/v1/counter/shifts/\(id)/close", body: #"{"counted_cash":{"amount":100,"currency":"CNY"}}"#, headers: other
                )
                .status == .notFound)
            #expect(
                try await h.call(
                    .post, "/v1/counter/shifts/\(id)/close", body: #"{"counted_cash":{"amount":100,"currency":"CNY"}}"#, headers: ops
                )
                .status == .forbidden)
            #expect(try await h.call(.get, "/v1/counter/shifts/sh_nope/report", headers: ops).status == .notFound)
            for body in [
                #"{"opening_float":{"amount":-1,"currency":"CNY"}}"#, #"{"opening_float":{"amount":100,"currency":"USD"}}"#,
                #"{"opening_float":{"amount":10000001,"currency":"CNY"}}"#,
            ] {
                let refused = try await h.call(.post, "/v1/counter/shifts", body: body, headers: other)
                #expect(
                    refused.status == .unprocessableContent && refused.json["field"] as? String == "opening_float",
                    "\(body) \(refused.text)")
            }
        }
    }

    @Test("Z numbers of one outlet stay in sequence with no gaps when shifts close at once", arguments: TestDatabase.all)
    func zNumbersUnderConcurrency(_ database: TestDatabase) async throws {
        try await Harness.run(database) { h in
            var shifts: [(HTTPFields, String)] = []
            for index in 1...6 {
                let clerk = try await Self.clerk(h, "clerk0\(index)")
                let opened = try await h.call(
                    .post, "/v1/counter/shifts", body: #"{"opening_float":{"amount":0,"currency":"CNY"}}"#, headers: clerk)
                shifts.append((clerk, try #require(opened.json["id"] as? String)))
            }
            let numbers = try await withThrowingTaskGroup(of: Int?.self) { group in
                for (clerk, id) in shifts {
                    group.addTask {
                        try await h.call(
                            .post, "/v1/counter/shifts/\(id)/close", body: #"{"counted_cash":{"amount":0,"currency":"CNY"}}"#,
                            headers: clerk
                        ).json["z_number"] as? Int
                    }
                }
                return try await group.reduce(into: [Int?]()) { $0.append($1) }
            }
            #expect(numbers.compactMap { $0 }.sorted() == Array(1...6))
        }
    }
}
