import ArgumentParser
import BaohaoApp
import BaohaoDomain
import BaohaoStorage
import Foundation

/// `baohao backup --out FILE`: a consistent copy of the embedded SQLite database, taken while the
/// server keeps serving.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the SQLite database while the server runs (PostgreSQL: use pg_dump or base backups).")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The backup file to write; it must not exist yet.") var out: String

    func run() async throws {
        guard database.resolvedURL == nil else {
            throw ValidationError(
                "baohao backup copies the embedded SQLite database; for PostgreSQL use pg_dump, or base backups with WAL archiving (README, Operations)"
            )
        }
        let source = (database.dataDir as NSString).appendingPathComponent("baohao.sqlite")
        let started = ContinuousClock.now
        do {
            let summary = try SQLiteBackup.backup(source: source, to: out)
            let seconds = (ContinuousClock.now - started).totalSeconds
            print(
                "backup written: \(out) (\(summary.bytes) bytes, schema version \(summary.schemaVersion), \(String(format: "%.1f", seconds)) s)"
            )
        } catch let failure as SQLiteBackup.Failure {
            throw ValidationError(failure.description)
        }
    }
}

/// `baohao restore --from FILE`: puts a backup in place as the data folder's database, refusing
/// while a server uses the folder.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Put a SQLite backup in place (the server must be stopped).")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The backup file (from baohao backup).") var from: String
    @Flag(help: "Restore over an existing database, keeping it aside as baohao.sqlite.before-restore-<time>.") var replace = false

    func run() async throws {
        guard database.resolvedURL == nil else {
            throw ValidationError("baohao restore puts back a SQLite backup; for PostgreSQL use pg_restore (README, Operations)")
        }
        // Held until the restore is done: a server cannot start on the folder meanwhile.
        let lock: ServerLock
        do {
            lock = try ServerLock(dataDirectory: database.dataDir)
        } catch {
            throw ValidationError("a baohao serve is running on \(database.dataDir); stop it before restoring")
        }
        let target = (database.dataDir as NSString).appendingPathComponent("baohao.sqlite")
        do {
            let summary = try SQLiteBackup.restore(from: from, to: target, replacing: replace, now: try ProcessClock.shared().now())
            print("restored \(from) to \(target) (schema version \(summary.schemaVersion)); run baohao verify before serving")
        } catch let failure as SQLiteBackup.Failure {
            throw ValidationError(failure.description)
        }
        withExtendedLifetime(lock) {}
    }
}
