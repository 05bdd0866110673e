/// Finds the exact bytes of a JSON value inside a response, because some providers sign a
/// member's text as sent (Alipay signs the `…_response` object), not a re-serialisation of it.
public enum RawJSON {
    /// The raw text of the object or string value of top-level `key`, or `nil`.
    public static func value(of key: String, in bytes: [UInt8]) -> ArraySlice<UInt8>? {
        let needle = Array("\"\(key)\"".utf8)
        var depth = 0
        var index = 0
        var inString = false
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") { index += 2; continue }
                if byte == UInt8(ascii: "\"") { inString = false }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            case UInt8(ascii: "\""):
                if depth == 1, bytes[index...].starts(with: needle) {
                    var cursor = skipSpace(bytes, from: index + needle.count)
                    if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ":") {
                        cursor = skipSpace(bytes, from: cursor + 1)
                        guard let end = endOfValue(bytes, from: cursor) else { return nil }
                        return bytes[cursor..<end]
                    }
                }
                inString = true
            default:
                break
            }
            index += 1
        }
        return nil
    }

    static func skipSpace(_ bytes: [UInt8], from start: Int) -> Int {
        var cursor = start
        while cursor < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[cursor]) { cursor += 1 }
        return cursor
    }

    /// The index just past the object, array or string starting at `start`.
    static func endOfValue(_ bytes: [UInt8], from start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        var depth = 0
        var inString = false
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { return index + 1 }
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { return index + 1 }
                if depth < 0 { return nil }
            }
            index += 1
        }
        return nil
    }
}
