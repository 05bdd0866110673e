import Foundation
import Logging

/// `LOG_FORMAT=json`: one JSON object a line on standard error, for log collectors — `time`
/// (RFC 3339, UTC, milliseconds), `level`, `label`, `message`, then the metadata flattened, with
/// Hummingbird's `hb.request.id` written as `request_id`.
///
/// Like every log line, nothing in it may carry a secret, a card number, a full ID number or a
/// full phone number: the callers log routes, not paths, and masked numbers.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let sink: LogSink

    public init(label: String, level: Logger.Level, sink: LogSink = .standardError) {
        self.label = label
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { $1 } }
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        var line = "{\"time\":\(Self.quoted(Self.timestamp(Date())))"
        line += ",\"level\":\(Self.quoted(event.level.rawValue)),\"label\":\(Self.quoted(label))"
        line += ",\"message\":\(Self.quoted(event.message.description))"
        for key in fields.keys.sorted() {
            let name = key == "hb.request.id" ? "request_id" : key
            guard !["time", "level", "label", "message"].contains(name) else { continue }
            line += ",\(Self.quoted(name)):\(Self.json(fields[key]!))"
        }
        line += "}\n"
        sink.write(line)
    }

    /// A metadata value as JSON: strings quoted; numbers written by callers as
    /// `.stringConvertible` stay numbers; arrays and dictionaries nest.
    static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): return quoted(text)
        case .stringConvertible(let item):
            if item is Int || item is Int64 || item is UInt16 || item is Double || item is Bool { return item.description }
            return quoted(item.description)
        case .array(let items): return "[" + items.map(json).joined(separator: ",") + "]"
        case .dictionary(let entries):
            return "{" + entries.keys.sorted().map { "\(quoted($0)):\(json(entries[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    /// `text` as a JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}

/// Where log lines go: standard error, written whole under a lock so lines never interleave.
public final class LogSink: @unchecked Sendable {
    private let lock = NSLock()
    private let handle: FileHandle

    init(handle: FileHandle) { self.handle = handle }

    public static let standardError = LogSink(handle: .standardError)

    func write(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        handle.write(Data(line.utf8))
    }
}
