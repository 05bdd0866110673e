import Foundation
import SQLiteNIO

/// Online copies of the embedded SQLite database, and putting one back.
///
/// A backup is `VACUUM INTO` a temporary file beside the target, synced and renamed into place: it
/// reads one consistent snapshot (a read transaction in WAL mode), so a server may keep writing
/// meanwhile, and every credit committed before the snapshot began is in the copy. The copy is
/// checked (`PRAGMA quick_check`, and the schema version) before it is called a backup.
public enum SQLiteBackup {
    /// What a checked copy holds.
    public struct Summary: Sendable, Equatable {
        /// The highest schema migration applied in it.
        public let schemaVersion: Int
        /// Its size in bytes.
        public let bytes: Int64
    }

    /// Why a backup or restore did not happen.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// Copies the database at `source` to `destination`, which must not exist yet.
    public static func backup(source: String, to destination: String) throws -> Summary {
        guard FileManager.default.fileExists(atPath: source) else { throw Failure("no database at \(source)") }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw Failure("\(destination) already exists; choose a new file name")
        }
        let folder = (destination as NSString).deletingLastPathComponent
        let temporary = (folder.isEmpty ? "." : folder) + "/.\((destination as NSString).lastPathComponent).partial-\(getpid())"
        try? FileManager.default.removeItem(atPath: temporary)
        do {
            let connection = try SQLiteDirectConnection(path: source)
            defer { connection.close() }
            try connection.query("PRAGMA busy_timeout = 10000", []) { _, _ in }
            try connection.query("VACUUM INTO ?", [.text(temporary)]) { _, _ in }
            let summary = try check(temporary)
            try sync(temporary)
            guard rename(temporary, destination) == 0 else { throw Failure("cannot move the copy to \(destination): errno \(errno)") }
            try sync(folder.isEmpty ? "." : folder)
            return summary
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            if let failure = error as? Failure { throw failure }
            throw Failure("backup failed: \(error)")
        }
    }

    /// Puts the backup at `source` in place as the database at `target`. The caller holds the
    /// data folder's server lock, so no server is using `target`. An existing database is kept
    /// beside it as `<target>.before-restore-<time>`.
    public static func restore(from source: String, to target: String, replacing: Bool, now: Date) throws -> Summary {
        guard FileManager.default.fileExists(atPath: source) else { throw Failure("no backup at \(source)") }
        let summary = try check(source)
        let known = Migrator.all.map(\.version).max() ?? 0
        guard summary.schemaVersion <= known else {
            throw Failure(
                "the backup has schema version \(summary.schemaVersion); this baohao knows up to \(known): restore it with a newer baohao")
        }
        let exists = FileManager.default.fileExists(atPath: target)
        if exists, !replacing {
            throw Failure("\(target) already holds a database; add --replace to keep it aside and restore over it")
        }
        let folder = (target as NSString).deletingLastPathComponent
        let temporary = target + ".restoring"
        try? FileManager.default.removeItem(atPath: temporary)
        do {
            try FileManager.default.copyItem(atPath: source, toPath: temporary)
            try sync(temporary)
            if exists {
                // The old database with its WAL: checkpointed into one file, then moved aside.
                let old = try SQLiteDirectConnection(path: target)
                try old.query("PRAGMA wal_checkpoint(TRUNCATE)", []) { _, _ in }
                old.close()
                let stamp = Int64(now.timeIntervalSince1970)
                guard rename(target, "\(target).before-restore-\(stamp)") == 0 else {
                    throw Failure("cannot move the current database aside: errno \(errno)")
                }
            }
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) }
            guard rename(temporary, target) == 0 else { throw Failure("cannot move the backup into place: errno \(errno)") }
            try sync(folder.isEmpty ? "." : folder)
            return summary
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            if let failure = error as? Failure { throw failure }
            throw Failure("restore failed: \(error)")
        }
    }

    /// Opens a copy and checks it is a whole Baohao database.
    static func check(_ path: String) throws -> Summary {
        let connection = try SQLiteDirectConnection(path: path)
        defer { connection.close() }
        var verdict = ""
        do {
            try connection.query("PRAGMA quick_check", []) { _, values in
                if case .text(let text) = values.first { verdict = text }
            }
        } catch {
            throw Failure("\(path) is not a SQLite database")
        }
        guard verdict == "ok" else { throw Failure("\(path) is damaged: \(verdict)") }
        var version = 0
        do {
            try connection.query("SELECT MAX(version) FROM schema_migrations", []) { _, values in
                if case .integer(let number) = values.first { version = Int(number) }
            }
        } catch {
            throw Failure("\(path) is not a Baohao database (no schema_migrations)")
        }
        guard version > 0 else { throw Failure("\(path) is not a Baohao database (no migrations applied)") }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        return Summary(schemaVersion: version, bytes: size)
    }

    /// `fsync` on a file or folder, so that a rename survives a crash.
    static func sync(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Failure("cannot open \(path) to sync it: errno \(errno)") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw Failure("cannot sync \(path): errno \(errno)") }
    }
}
