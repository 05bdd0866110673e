/// The `agi_*` variables Asterisk sends first on a FastAGI connection, one `name: value` a line,
/// ending with an empty line.
public struct AGIEnvironment: Sendable, Hashable {
    public private(set) var values: [String: String] = [:]

    /// Most variables read (Asterisk sends about 20, plus `agi_arg_N`).
    public static let maximumVariables = 64

    public init() {}

    /// Takes one line; `false` at the empty line that ends the block.
    /// - Throws: ``FastAGIError/malformed(_:)`` for a line that is not `agi_name: value`, or too many.
    public mutating func take(_ raw: Substring) throws(FastAGIError) -> Bool {
        var line = raw
        if line.hasSuffix("\r") { line = line.dropLast() }
        if line.isEmpty { return false }
        guard let colon = line.firstIndex(of: ":"), line.hasPrefix("agi_") else { throw .malformed("environment line") }
        guard values.count < Self.maximumVariables else { throw .malformed("too many environment lines") }
        let name = String(line[..<colon])
        values[name] = String(line[line.index(after: colon)...].drop(while: { $0 == " " }))
        return true
    }

    public subscript(_ name: String) -> String? { values[name] }

    /// `agi_uniqueid`: the channel's unique id, the call's key.
    public var uniqueID: String? { values["agi_uniqueid"].flatMap { $0.isEmpty ? nil : $0 } }
    /// `agi_callerid`, or `nil` when withheld (`unknown`, empty).
    public var callerID: String? {
        guard let value = values["agi_callerid"], !value.isEmpty, value.lowercased() != "unknown" else { return nil }
        return value
    }
    /// `agi_network_script`: the path after `agi://host:port/`.
    public var script: String? { values["agi_network_script"] }
    /// `agi_language`: the channel's language (`zh`, `en`…).
    public var language: String? { values["agi_language"] }
}

/// Why a FastAGI connection was dropped.
public enum FastAGIError: Error, Sendable, Hashable {
    case malformed(String)
    case timedOut
    case closed
    case unknownScript(String)
}
