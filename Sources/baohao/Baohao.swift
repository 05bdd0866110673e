import ArgumentParser

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
}
