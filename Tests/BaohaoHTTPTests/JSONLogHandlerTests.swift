import Foundation
import Logging
import Testing

@testable import BaohaoApp

/// `LOG_FORMAT=json`: one parseable object a line, numbers as numbers, the request id renamed.
@Suite("JSON logs")
struct JSONLogHandlerTests {
    @Test("a request line is one JSON object with the request id, route, status and duration")
    func requestLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("log-\(UUID().uuidString)").path
        FileManager.default.createFile(atPath: path, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        var logger = Logger(label: "baohao") { JSONLogHandler(label: $0, level: .info, sink: LogSink(handle: handle)) }
        logger[metadataKey: "hb.request.id"] = "abc123"
        logger.info(
            "request",
            metadata: [
                "route": "/v1/lines/{msisdn}/confirm", "status": .stringConvertible(200), "duration_ms": .stringConvertible(1.25),
                "note": "a \"quoted\"\nline",
            ])
        logger.debug("not written below the level")
        try handle.close()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["message"] as? String == "request")
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "baohao")
        #expect(object["request_id"] as? String == "abc123")
        #expect(object["hb.request.id"] == nil)
        #expect(object["route"] as? String == "/v1/lines/{msisdn}/confirm")
        #expect(object["status"] as? Int == 200)
        #expect(object["duration_ms"] as? Double == 1.25)
        #expect(object["note"] as? String == "a \"quoted\"\nline")
        let time = try #require(object["time"] as? String)
        #expect(time.count == 24 && time.hasSuffix("Z") && time.contains("."), "RFC 3339 UTC with milliseconds: \(time)")
    }
}
