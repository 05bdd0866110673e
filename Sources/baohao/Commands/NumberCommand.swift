import ArgumentParser
import BaohaoDomain
import Foundation

/// `baohao number parse`: normalizes numbers the way the API does. With no arguments it reads one
/// number per line from standard input and prints `E164<TAB>operator` or `invalid<TAB>reason`.
struct NumberCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "number", abstract: "Phone number tools.", subcommands: [Parse.self])

    struct Parse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Normalize numbers to E.164 with an operator hint.")
        @Argument(help: "Numbers; none means read standard input.") var numbers: [String] = []

        func run() async throws {
            if numbers.isEmpty {
                while let line = readLine(strippingNewline: true) { print(Self.describe(line)) }
            } else {
                for number in numbers { print(Self.describe(number)) }
            }
        }

        static func describe(_ input: String) -> String {
            do {
                let msisdn = try MSISDN(parsing: input)
                return "\(msisdn.e164)\t\(msisdn.operatorHint.rawValue)"
            } catch {
                return "invalid\t\(error)"
            }
        }
    }
}
