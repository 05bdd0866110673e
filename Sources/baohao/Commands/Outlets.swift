import ArgumentParser
import BaohaoDomain
import Foundation

/// `baohao outlets add|list|disable`: the business halls (营业厅) clerks sell at.
struct Outlets: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Business halls (营业厅) where clerks sell at the counter.", subcommands: [Add.self, List.self, Disable.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an outlet.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Outlet code: 2–32 of A-Z, 0-9 and -, e.g. BJ-XD-01.") var code: String
        @Option(help: "Name shown on receipts, e.g. 西单营业厅.") var name: String
        @Option(help: "Street address.") var address: String

        func run() async throws {
            do {
                let outlet = try await withStore(database) {
                    try await OutletService(store: $0, clock: try ProcessClock.shared()).add(code: code, name: name, address: address)
                }
                print("added outlet \(outlet.code) (\(outlet.name))")
            } catch {
                throw fail(error)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List outlets: code, state, name, address.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let outlets = try await withStore(database) { try await OutletService(store: $0, clock: try ProcessClock.shared()).list() }
            for outlet in outlets {
                print("\(outlet.code)\t\(outlet.isEnabled ? "enabled" : "disabled")\t\(outlet.name)\t\(outlet.address)")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop an outlet selling; its shifts and reports are kept.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The outlet's code.") var code: String

        func run() async throws {
            do {
                let outlet = try await withStore(database) {
                    try await OutletService(store: $0, clock: try ProcessClock.shared()).disable(code: code)
                }
                print("disabled outlet \(outlet.code)")
            } catch {
                throw fail(error)
            }
        }
    }
}
