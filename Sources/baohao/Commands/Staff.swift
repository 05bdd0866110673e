import ArgumentParser
import BaohaoDomain
import BaohaoSecurity
import Foundation

/// `baohao staff add|list|password|disable|reset-2fa`: console accounts.
struct Staff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Staff accounts for the console at /staff and counter terminals (bcrypt-hashed passwords; roles admin, operator and clerk).",
        subcommands: [Add.self, List.self, Password.self, Disable.self, ResetTwoFactor.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a member of staff. The password is asked for twice, or read from standard input with --password-stdin.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Sign-in name: 3–32 of a-z, 0-9, dot, dash, underscore.") var username: String
        @Option(help: "Name shown in the console.") var name: String
        @Option(help: "admin, operator or clerk.") var role: String = "operator"
        @Option(help: "The outlet a clerk sells at (its code, e.g. BJ-XD-01); clerks only.") var outlet: String?
        @Flag(help: "Read the password from the first line of standard input (for scripts).") var passwordStdin = false

        func run() async throws {
            guard let role = StaffRole(rawValue: role) else { throw ValidationError("--role must be admin, operator or clerk") }
            if role == .clerk, outlet == nil { throw ValidationError("a clerk needs --outlet CODE") }
            if role != .clerk, outlet != nil { throw ValidationError("--outlet is for clerks only") }
            let password = try readPassword(fromStdin: passwordStdin)
            do {
                let account = try await withStore(database) {
                    try await StaffService(store: $0, hasher: Bcrypt(), clock: try ProcessClock.shared()).addStaff(
                        username: username, displayName: name, role: role, password: password, outlet: outlet)
                }
                let at = account.outletCode.map { " at \($0)" } ?? ""
                print("added \(account.role.rawValue) \(account.username) (\(account.displayName))\(at)")
            } catch {
                throw fail(error)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List staff accounts (never their password hashes).")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let clock = try ProcessClock.shared()
            let accounts = try await withStore(database) { try await StaffService(store: $0, hasher: Bcrypt(), clock: clock).staff() }
            for account in accounts {
                let state = account.disabledAt != nil ? "disabled" : "active"
                print("\(account.username)\t\(account.role.rawValue)\t\(state)\t\(account.displayName)\t\(account.outletCode ?? "-")")
            }
        }
    }

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a new password and end the account's sessions.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The username.") var username: String
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        func run() async throws {
            let password = try readPassword(fromStdin: passwordStdin)
            do {
                try await withStore(database) {
                    try await StaffService(store: $0, hasher: Bcrypt(), clock: try ProcessClock.shared()).setPassword(
                        username: username, password: password)
                }
                print("password changed for \(username)")
            } catch {
                throw fail(error)
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account (kept for the record) and end its sessions.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The username.") var username: String

        func run() async throws {
            do {
                try await withStore(database) {
                    try await StaffService(store: $0, hasher: Bcrypt(), clock: try ProcessClock.shared()).disable(username: username)
                }
                print("disabled \(username)")
            } catch {
                throw fail(error)
            }
        }
    }
}

extension Staff {
    struct ResetTwoFactor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-2fa",
            abstract:
                "Remove an account's two-step sign-in (its phone and recovery codes are lost) and end its sessions; an administrator sets it up again at the next sign-in."
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The username.") var username: String

        func run() async throws {
            do {
                try await withStore(database) {
                    try await StaffService(store: $0, hasher: Bcrypt(), clock: try ProcessClock.shared()).resetTwoFactor(username: username)
                }
                print("two-step sign-in removed for \(username)")
            } catch {
                throw fail(error)
            }
        }
    }
}

/// A password from standard input (first line) or typed twice at the terminal without echo.
func readPassword(fromStdin: Bool) throws -> String {
    let password: String
    if fromStdin || isatty(STDIN_FILENO) == 0 {
        guard let line = readLine(strippingNewline: true) else { throw ValidationError("no password on standard input") }
        password = line
    } else {
        guard let first = getpass("Password: ").map({ String(cString: $0) }),
            let second = getpass("Again: ").map({ String(cString: $0) })
        else { throw ValidationError("no password given") }
        guard first == second else { throw ValidationError("the two passwords differ") }
        password = first
    }
    if let problem = PasswordRules.problem(password) { throw ValidationError("the password needs \(problem)") }
    return password
}
