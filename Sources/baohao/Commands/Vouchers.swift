import ArgumentParser
import BaohaoApp
import BaohaoDomain
import Foundation

/// `baohao vouchers issue|activate|freeze|unfreeze|list|show`: recharge cards (充值卡).
struct Vouchers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recharge cards (充值卡): issue batches, activate (sell), freeze, unfreeze, list, look up.",
        subcommands: [Issue.self, Activate.self, Freeze.self, Unfreeze.self, List.self, Show.self])

    static func service(_ store: any BaohaoDatabase, _ database: DatabaseOptions) throws -> VoucherService {
        let (key, created) = try VoucherKey.load(environment: ProcessSettings.environment, dataDirectory: database.dataDir)
        if let created {
            FileHandle.standardError.write(
                Data("note: created the voucher key \(created); every server process needs this key (back it up)\n".utf8))
        }
        return VoucherService(store: store, clock: try ProcessClock.shared(), key: key)
    }

    /// The person behind a CLI change, for the audit trail.
    static var operatorName: String { "cli:" + (ProcessSettings.environment["USER"] ?? "unknown") }

    static func money(_ text: String) throws -> Money {
        guard let money = LineImportCSV.parseMajorAmount(text, currency: .cny), money.amountMinor > 0 else {
            throw ValidationError("--face must be an amount in yuan, e.g. 50.00")
        }
        return money
    }

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a batch of cards and write its PIN file for the printer, once (only keyed hashes of the PINs are kept).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Face value in yuan, e.g. 50.00.") var face: String
        @Option(help: "How many cards (at most 1,000,000).") var count: Int
        @Option(help: "The last day a card can be redeemed (Beijing), YYYY-MM-DD.") var expires: String
        @Option(help: "Where the CSV (serial,pin,face,expires) is written; refused if the file exists.") var out: String
        @Option(
            help: "Encrypt the file to this recipient: an age public key (age1…, needs the age tool) or an OpenPGP public key file (gpg).")
        var recipient: String?
        @Flag(help: "Activate (sell) the batch at once.") var activate = false
        @Option(help: "Digits of a serial (default 17).") var serialDigits = VoucherCodes.defaultSerialDigits
        @Option(help: "Digits of a PIN (default 18).") var pinDigits = VoucherCodes.defaultPINDigits

        func run() async throws {
            do {
                guard let day = LocalDate(iso: expires) else { throw ValidationError("--expires must be YYYY-MM-DD") }
                guard !FileManager.default.fileExists(atPath: out) else {
                    throw ValidationError("\(out) exists: the PIN file is written once")
                }
                let face = try Vouchers.money(self.face)
                let sealer = try recipient.map { try PINFileSealer(recipient: $0) }
                let issued = try await withStore(database) { store in
                    try await Vouchers.service(store, database).issue(
                        face: face, count: count, expiresOn: day, serialDigits: serialDigits, pinDigits: pinDigits, activate: activate,
                        by: Vouchers.operatorName)
                }
                var csv = "serial,pin,face,expires\n"
                csv.reserveCapacity(issued.codes.count * 48)
                for code in issued.codes { csv += "\(code.serial),\(code.pin),\(face.decimalString),\(day.iso)\n" }
                if let sealer {
                    try sealer.write(Data(csv.utf8), to: out)
                } else {
                    guard FileManager.default.createFile(atPath: out, contents: Data(csv.utf8), attributes: [.posixPermissions: 0o600])
                    else {
                        throw ValidationError("cannot write \(out)")
                    }
                    FileHandle.standardError.write(
                        Data(
                            "warning: \(out) holds the PINs in clear (mode 0600); give --recipient to encrypt it, and delete it once printed\n"
                                .utf8))
                }
                print(
                    "issued batch \(issued.batch.id): \(issued.batch.count) cards of \(face.decimalString), serials \(issued.batch.firstSerial)–\(issued.batch.lastSerial), last day \(day.iso)\(issued.activated ? ", activated" : "")"
                )
                print("PIN file: \(out)\(sealer == nil ? "" : " (encrypted)")")
            } catch {
                throw fail(error)
            }
        }
    }

    /// Applies `change` to the range or batch and says how many cards it changed.
    static func change(_ database: DatabaseOptions, _ range: RangeOptions, _ change: VoucherChange, done: String) async throws {
        do {
            let changed = try await withStore(database) { store in
                try await Vouchers.service(store, database).change(
                    from: range.from, to: range.to, batchID: range.batch, change, by: Vouchers.operatorName)
            }
            print("\(done) \(changed) card(s)")
        } catch {
            throw fail(error)
        }
    }

    /// A serial range, or a batch.
    struct RangeOptions: ParsableArguments {
        @Option(help: "First serial.") var from: String?
        @Option(help: "Last serial.") var to: String?
        @Option(help: "A whole batch, by id.") var batch: String?

        func validate() throws {
            guard (from != nil && to != nil) || batch != nil else { throw ValidationError("give --from and --to, or --batch") }
        }
    }

    struct Activate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Activate (sell) a batch or a serial range.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var range: RangeOptions

        func run() async throws { try await Vouchers.change(database, range, .activate, done: "activated") }
    }

    struct Freeze: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Freeze a batch or a serial range (e.g. a stolen shipment).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var range: RangeOptions
        @Option(help: "Why, for the audit trail.") var reason: String

        func run() async throws { try await Vouchers.change(database, range, .freeze(reason: reason), done: "froze") }
    }

    struct Unfreeze: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Unfreeze a batch or a serial range.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var range: RangeOptions

        func run() async throws { try await Vouchers.change(database, range, .unfreeze, done: "unfroze") }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List batches with how many cards are in each state.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            do {
                let batches = try await withStore(database) { try await Vouchers.service($0, database).batches() }
                for summary in batches {
                    let b = summary.batch
                    let counts = VoucherState.allCases.map { "\($0.rawValue) \(summary.counts[$0] ?? 0)" }.joined(separator: " ")
                    print(
                        [b.id, b.face.decimalString, "\(b.count)", "\(b.firstSerial)–\(b.lastSerial)", "until \(b.expiresOn.iso)", counts]
                            .joined(separator: "\t"))
                }
            } catch {
                throw fail(error)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Look a card up by serial.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The serial.") var serial: String

        func run() async throws {
            do {
                let (voucher, now) = try await withStore(database) { store in
                    (try await Vouchers.service(store, database).voucher(serial: serial), try ProcessClock.shared().now())
                }
                print(
                    "serial \(voucher.serial)  batch \(voucher.batchID)  face \(voucher.face.decimalString)  state \(voucher.state(at: now).rawValue)"
                )
                print(
                    "last day \(voucher.expiresOn.iso)" + (voucher.usedOnMasked.map { "  used on \($0)" } ?? "")
                        + (voucher.usedOrderID.map { "  order \($0)" } ?? "") + (voucher.frozenReason.map { "  frozen: \($0)" } ?? ""))
            } catch {
                throw fail(error)
            }
        }
    }
}

/// Encrypts the PIN file to a recipient with the tool that knows its format, writing only the
/// ciphertext: `age -r <key>` for an age public key, `gpg --encrypt --recipient-file` for an
/// OpenPGP public key file. The CSV goes to the tool's standard input, never to disk in clear.
struct PINFileSealer {
    let tool: String
    let arguments: [String]

    init(recipient: String) throws {
        if recipient.hasPrefix("age1") {
            tool = "age"
            arguments = ["--encrypt", "--recipient", recipient, "--armor"]
        } else {
            guard FileManager.default.fileExists(atPath: recipient) else {
                throw ValidationError("--recipient: an age public key (age1…) or the path of an OpenPGP public key file")
            }
            tool = "gpg"
            arguments = ["--batch", "--yes", "--quiet", "--trust-model", "always", "--armor", "--recipient-file", recipient, "--encrypt"]
        }
    }

    func write(_ plain: Data, to path: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments + ["--output", path]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        do { try process.run() } catch { throw ValidationError("cannot run \(tool): \(error)") }
        input.fileHandleForWriting.write(plain)
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            try? FileManager.default.removeItem(atPath: path)
            throw ValidationError("\(tool) could not encrypt the PIN file: \(message.prefix(300))")
        }
        try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }
}
