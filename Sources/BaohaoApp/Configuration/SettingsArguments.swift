/// Takes the setting flags (`--smtp-port 587`, `--smtp-port=587`, `--config FILE`) off a command
/// line before the command parser sees it; everything else is left in order for the parser.
/// `--database-url` stays with the commands, which declare it themselves.
public struct SettingsArguments: Sendable {
    /// The arguments the command parser gets.
    public var remaining: [String] = []
    /// Setting values by key (`smtp.port`).
    public var flags: [String: String] = [:]
    /// `--config FILE`.
    public var configFile: String?

    static let declaredByCommands: Set<String> = ["--database-url"]

    /// Splits `arguments` (without the program name); a setting flag without its value, or given
    /// twice, is refused by name.
    public init(_ arguments: [String]) throws(SettingsError) {
        var byFlag: [String: String] = [:]
        for setting in SettingsCatalog.all where !Self.declaredByCommands.contains(setting.flag) {
            byFlag[setting.flag] = setting.key
            if setting.kind == .secret { byFlag[setting.fileFlag] = setting.fileKey }
        }
        var problems: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                remaining += arguments[(index - 1)...]
                break
            }
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            let name = parts.first ?? argument
            guard name == "--config" || byFlag[name] != nil else {
                remaining.append(argument)
                continue
            }
            let value: String
            if parts.count == 2 {
                value = parts[1]
            } else if index < arguments.endIndex, !arguments[index].hasPrefix("--") {
                value = arguments[index]
                index += 1
            } else {
                problems.append("\(name) needs a value")
                continue
            }
            if name == "--config" {
                if configFile != nil { problems.append("--config given twice") }
                configFile = value
            } else if let key = byFlag[name] {
                if flags[key] != nil { problems.append("\(name) given twice") }
                flags[key] = value
            }
        }
        guard problems.isEmpty else { throw SettingsError(problems: problems) }
    }
}
