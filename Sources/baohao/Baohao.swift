import ArgumentParser
import BaohaoApp
import Foundation

/// `baohao`: the server and the operator's command line.
@main
struct Baohao: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baohao",
        abstract: "保号 Baohao — recharge and number-retention platform for prepaid lines.",
        version: "baohao \(BuildInfo.commit)",
        subcommands: [
            Serve.self, Migrate.self, Verify.self, Lines.self, Plans.self, Payments.self, Jobs.self, Policies.self, NumberCommand.self,
            IDCommand.self, Outlets.self,
            Staff.self, IVR.self, Partners.self, Vouchers.self, Backup.self, Restore.self, ConfigCommand.self,
        ]
    )

    /// Resolves the settings (flags, environment, configuration file; ``SettingsLoader``) and,
    /// when they hold, runs the command the remaining arguments name. Bad settings stop every
    /// command with each problem named (exit 78, `EX_CONFIG`); `--help` and `--version` still answer.
    static func main() async {
        let given = Array(CommandLine.arguments.dropFirst())
        var remaining = given
        do {
            let split = try SettingsArguments(given)
            remaining = split.remaining
            ProcessSettings.current = try await SettingsLoader.resolve(
                flags: split.flags, environment: ProcessInfo.processInfo.environment, file: split.configFile)
        } catch {
            let asksForHelp = given.contains { ["--help", "-h", "--version", "help"].contains($0) }
            if !asksForHelp {
                let lines = error.problems.map { "Error: \($0)\n" }.joined()
                FileHandle.standardError.write(Data(lines.utf8))
                Self.exit(withError: ExitCode(78))  // EX_CONFIG
            }
        }
        do {
            var command = try parseAsRoot(remaining)
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// The settings this process runs with, resolved once in ``Baohao/main()`` before any command.
enum ProcessSettings {
    nonisolated(unsafe) static var current = ResolvedSettings(
        environment: ProcessInfo.processInfo.environment, origins: [:], unknownVariables: [])

    /// Every setting by variable name, over the rest of the process environment.
    static var environment: [String: String] { current.environment }
}
