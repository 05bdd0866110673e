/// A JSON value that knows the line it starts on, so a policy file's errors can point at it.
///
/// Policy files are small (a few kilobytes); this reader is strict RFC 8259 JSON with a depth
/// and size limit, and refuses duplicate keys.
struct PolicyJSON: Sendable {
    enum Value: Sendable {
        case object([(key: String, value: PolicyJSON)])
        case array([PolicyJSON])
        case string(String)
        case number(String)
        case bool(Bool)
        case null
    }

    let value: Value
    let line: Int

    static let maximumBytes = 256 * 1024
    static let maximumDepth = 16

    /// Parses a whole document; the error carries the line where reading stopped.
    static func parse(_ text: String) throws(PolicyLoadError.Located) -> PolicyJSON {
        let bytes = Array(text.utf8)
        guard bytes.count <= maximumBytes else { throw .init(line: 1, reason: "file larger than \(maximumBytes) bytes") }
        var reader = Reader(bytes: bytes)
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.index == bytes.count else { throw .init(line: reader.line, reason: "unexpected text after the document") }
        return value
    }

    struct Reader {
        let bytes: [UInt8]
        var index = 0
        var line = 1

        mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x0A: line += 1; index += 1
                case 0x20, 0x09, 0x0D: index += 1
                default: return
                }
            }
        }

        func fail(_ reason: String) -> PolicyLoadError.Located { .init(line: line, reason: reason) }

        mutating func value(depth: Int) throws(PolicyLoadError.Located) -> PolicyJSON {
            guard depth < PolicyJSON.maximumDepth else { throw fail("nested too deeply") }
            skipSpace()
            guard index < bytes.count else { throw fail("unexpected end of file") }
            let start = line
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [(key: String, value: PolicyJSON)] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return PolicyJSON(value: .object(members), line: start)
                }
                while true {
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a quoted key") }
                    let keyLine = line
                    let key = try string()
                    if members.contains(where: { $0.key == key }) { throw .init(line: keyLine, reason: "duplicate key \"\(key)\"") }
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':' after \"\(key)\"") }
                    index += 1
                    members.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    guard index < bytes.count else { throw fail("unexpected end of file in an object") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; return PolicyJSON(value: .object(members), line: start) }
                    throw fail("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [PolicyJSON] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return PolicyJSON(value: .array(items), line: start)
                }
                while true {
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard index < bytes.count else { throw fail("unexpected end of file in an array") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "]") { index += 1; return PolicyJSON(value: .array(items), line: start) }
                    throw fail("expected ',' or ']'")
                }
            case UInt8(ascii: "\""):
                return PolicyJSON(value: .string(try string()), line: start)
            case UInt8(ascii: "t"): try literal("true"); return PolicyJSON(value: .bool(true), line: start)
            case UInt8(ascii: "f"): try literal("false"); return PolicyJSON(value: .bool(false), line: start)
            case UInt8(ascii: "n"): try literal("null"); return PolicyJSON(value: .null, line: start)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let from = index
                index += 1
                while index < bytes.count,
                    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index])
                        || [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-")].contains(
                            bytes[index])
                {
                    index += 1
                }
                let text = String(decoding: bytes[from..<index], as: UTF8.self)
                guard Double(text) != nil else { throw fail("malformed number \(text)") }
                return PolicyJSON(value: .number(text), line: start)
            default:
                throw fail("unexpected character")
            }
        }

        mutating func literal(_ word: String) throws(PolicyLoadError.Located) {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else {
                throw fail("unexpected word")
            }
            index += expected.count
        }

        mutating func string() throws(PolicyLoadError.Located) -> String {
            index += 1
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() { scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars); raw.removeAll() }
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    flush()
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    flush()
                    guard index + 1 < bytes.count else { throw fail("unterminated string") }
                    let escape = bytes[index + 1]
                    index += 2
                    switch escape {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "u"):
                        guard index + 4 <= bytes.count,
                            let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16),
                            let scalar = Unicode.Scalar(code)
                        else { throw fail("bad \\u escape") }
                        scalars.append(scalar)
                        index += 4
                    default: throw fail("bad escape")
                    }
                case 0x00..<0x20:
                    throw fail("control character in a string")
                default:
                    raw.append(byte)
                    index += 1
                }
            }
            throw fail("unterminated string")
        }
    }
}
