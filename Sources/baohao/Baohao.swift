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
            Staff.self, IVR.self, Partners.self, Vouchers.self, Backup.self, Restore.self,
        ]
    )

    /// Reads the secrets given as `X_FILE` into the environment (``SecretFiles``), then runs the
    /// command the arguments name.
    static func main() async {
        do {
            for (name, value) in try SecretFiles.values(from: ProcessInfo.processInfo.environment) { setenv(name, value, 1) }
        } catch {
            FileHandle.standardError.write(Data("Error: \(error.description)\n".utf8))
            Self.exit(withError: ExitCode(78))  // EX_CONFIG
        }
        do {
            var command = try parseAsRoot()
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
