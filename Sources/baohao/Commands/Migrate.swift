import ArgumentParser

/// `baohao migrate`: applies pending schema migrations (the server also does on start).
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await withStore(database) { _ in }
        print("migrations applied: \(database.describe)")
    }
}
