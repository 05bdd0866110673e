import ArgumentParser
import BaohaoApp
import BaohaoDomain
import Foundation

/// `baohao partners add|list|rotate-key|disable`: third-party platforms (第三方平台) that sell
/// top-ups through the partner API.
struct Partners: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Partner platforms (第三方平台) and their API keys.", subcommands: [Add.self, List.self, RotateKey.self, Disable.self])

    static func service(_ store: any BaohaoDatabase, _ database: DatabaseOptions) throws -> PartnerService {
        let (secrets, created) = try PartnerSecretsKey.load(
            environment: ProcessSettings.environment, dataDirectory: database.dataDir)
        if let created {
            FileHandle.standardError.write(
                Data("note: created the partner secrets key \(created); every server process needs this key (back it up)\n".utf8))
        }
        return PartnerService(store: store, clock: try ProcessClock.shared(), secrets: secrets)
    }

    /// The code from the argument or `--code`.
    struct CodeOptions: ParsableArguments {
        @Argument(help: "The partner's code.") var positional: String?
        @Option(help: "The partner's code, e.g. ACME.") var code: String?

        func resolved() throws -> String {
            guard let value = code ?? positional else { throw ValidationError("give the partner's code (--code ACME)") }
            return value
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a partner and print its key id and secret (shown once; only a sealed copy is kept).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Partner code: 2–16 of A-Z, 0-9, - and _, e.g. ACME.") var code: String
        @Option(help: "Name, e.g. 某某充值平台.") var name: String
        @Option(help: "Where top-up callbacks are posted (https).") var callbackURL: String?
        @Option(help: "Requests a second the partner API takes from it (default 50).") var rateLimit: Int?

        func run() async throws {
            do {
                let (partner, credentials) = try await withStore(database) { store in
                    try await Partners.service(store, database).add(code: code, name: name, callbackURL: callbackURL, rateLimit: rateLimit)
                }
                print("added partner \(partner.code) (\(partner.name))")
                print("key_id: \(credentials.keyID)")
                print("secret: \(credentials.secret)")
                print("Keep the secret now: Baohao shows it only once. Sign requests with it (see the README, Partner API).")
            } catch {
                throw fail(error)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List partners: code, state, available and held float, today's top-ups, failing callbacks, name.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            do {
                let overviews = try await withStore(database) { try await Partners.service($0, database).list() }
                for overview in overviews {
                    let partner = overview.partner
                    print(
                        [
                            partner.code, partner.isEnabled ? "active" : "disabled", "available \(partner.float.available.decimalString)",
                            "held \(partner.float.held.decimalString)",
                            "today \(overview.todayCount)/\(overview.todayAmount.decimalString)",
                            "failing_callbacks \(overview.failingCallbacks)", "key \(overview.currentKeyID ?? "-")", partner.name,
                        ].joined(separator: "\t"))
                }
            } catch {
                throw fail(error)
            }
        }
    }

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "Give a partner a new key; its old keys keep working for 24 hours.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var target: CodeOptions

        func run() async throws {
            do {
                let code = try target.resolved()
                let (credentials, expiry) = try await withStore(database) { try await Partners.service($0, database).rotateKey(code: code) }
                print("key_id: \(credentials.keyID)")
                print("secret: \(credentials.secret)")
                print("previous keys stop working at \(Timestamp.formatLocal(expiry, in: Deadline.mainlandTimeZone))")
            } catch {
                throw fail(error)
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable a partner: its keys stop working (403); accepted top-ups still complete.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var target: CodeOptions

        func run() async throws {
            do {
                let code = try target.resolved()
                let partner = try await withStore(database) { try await Partners.service($0, database).disable(code: code) }
                print("disabled partner \(partner.code)")
            } catch {
                throw fail(error)
            }
        }
    }
}
