import ArgumentParser
import BaohaoDomain
import Foundation

/// `baohao id check`: checks resident ID numbers the way the counter does. With no arguments it
/// reads one number per line from standard input and prints `valid<TAB>masked<TAB>birth date` or
/// `invalid<TAB>reason`; the full number is never printed.
struct IDCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "id", abstract: "Resident ID tools.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check resident ID numbers (GB 11643-1999): province, birth date (not in the future, Beijing time), check character.")
        @Argument(help: "ID numbers; none means read standard input.") var numbers: [String] = []

        func run() async throws {
            let today = LocalDate(try ProcessClock.shared().now(), in: Deadline.mainlandTimeZone)
            if numbers.isEmpty {
                while let line = readLine(strippingNewline: true) { print(Self.describe(line, today: today)) }
            } else {
                for number in numbers { print(Self.describe(number, today: today)) }
            }
        }

        static func describe(_ input: String, today: LocalDate) -> String {
            do {
                let id = try ResidentID(input, today: today)
                return "valid\t\(id.masked)\t\(id.birthDate.iso)"
            } catch {
                return "invalid\t\(error.rawValue)"
            }
        }
    }
}
