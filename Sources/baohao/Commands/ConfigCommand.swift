import ArgumentParser
import BaohaoApp
import Foundation

/// `baohao config`: the settings every command reads, and what this process resolved them to.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Settings: list every one, or check what flags, environment and --config FILE give.",
        subcommands: [Check.self, List.self])

    /// Prints every setting that has a value and where it came from, secrets as `<redacted>`.
    /// Bad settings never reach here: `main` refuses them first, each named, with exit 78.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the settings (exit 78 naming each problem) and print where each value came from.")

        func run() throws {
            let settings = ProcessSettings.current
            var lines: [String] = []
            for setting in SettingsCatalog.all {
                guard let value = settings.value(setting), let origin = settings.origins[setting.variable] else { continue }
                let shown = setting.kind == .secret ? "<redacted>" : value
                lines.append("\(setting.key) = \(shown)    (\(origin))")
            }
            print(lines.isEmpty ? "no settings given: every default applies" : lines.joined(separator: "\n"))
            for name in settings.unknownVariables {
                FileHandle.standardError.write(Data("warning: \(name) names no setting (see baohao config list)\n".utf8))
            }
            print("settings OK")
        }
    }

    /// Prints the catalog: key, variable, flag and what each does.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every setting: file key, variable, flag.")

        func run() throws {
            for setting in SettingsCatalog.all {
                var names = "\(setting.key)  \(setting.variable)  \(setting.flag)"
                if setting.kind == .secret { names += "  (or \(setting.fileVariable) / \(setting.fileFlag): a file)" }
                print(names)
                print("    \(setting.summary)")
            }
        }
    }
}
