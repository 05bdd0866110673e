import Foundation

/// `application/x-www-form-urlencoded` as Alipay and UnionPay use it: UTF-8, `+` for space.
public enum FormEncoding {
    /// Parses a form body into fields, in order. Refuses repeated keys, bad escapes and non-UTF-8.
    public static func parse(_ bytes: [UInt8]) -> [(String, String)]? {
        var fields: [(String, String)] = []
        var seen = Set<String>()
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = decode(parts[0]), !key.isEmpty else { return nil }
            guard let value = parts.count > 1 ? decode(parts[1]) : "" else { return nil }
            guard seen.insert(key).inserted else { return nil }
            fields.append((key, value))
        }
        return fields
    }

    /// Parses into a dictionary (keys are unique after ``parse(_:)``).
    public static func dictionary(_ bytes: [UInt8]) -> [String: String]? {
        guard let fields = parse(bytes) else { return nil }
        return Dictionary(uniqueKeysWithValues: fields)
    }

    static func decode(_ bytes: some Collection<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                let high = bytes.index(after: index)
                guard high != bytes.endIndex else { return nil }
                let low = bytes.index(after: high)
                guard low != bytes.endIndex, let h = hexValue(bytes[high]), let l = hexValue(bytes[low]) else { return nil }
                out.append(h << 4 | l)
                index = low
            } else {
                out.append(byte)
            }
            index = bytes.index(after: index)
        }
        return String(validating: out, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 65...70: return byte - 55
        case 97...102: return byte - 87
        default: return nil
        }
    }

    /// Encodes fields in the given order; unreserved characters (RFC 3986) stay, everything else is `%XX`.
    public static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    public static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 48...57, 65...90, 97...122, UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }

    /// Fields in key order, for a form whose order should be stable.
    public static func sortedFields(_ fields: [String: String]) -> [(String, String)] {
        fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// `k=v&k=v` over the fields sorted by key in byte order, values as they are (not escaped):
    /// the string Alipay and UnionPay sign.
    public static func signingString(_ fields: [String: String]) -> String {
        fields.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            .map { "\($0.key)=\($0.value)" }.joined(separator: "&")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
