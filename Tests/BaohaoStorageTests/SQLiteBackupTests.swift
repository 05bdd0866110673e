import BaohaoDomain
import BaohaoTestSupport
import Foundation
import Testing

@testable import BaohaoStorage

/// `baohao backup` / `restore` underneath: a checked copy of a live database, put back only where
/// nothing is overwritten by accident, and never a file that is not a whole Baohao database.
@Suite("SQLite backup and restore")
struct SQLiteBackupTests {
    @Test("a backup holds what was written, restores into a new folder, and refuses to overwrite")
    func roundTrip() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baohao-backup-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let live = folder + "/live.sqlite"
        let store = try await SQLiteStore.open(path: live, logger: .init(label: "test"))
        try await AdminService(store: store, clock: Fixtures.clock()).addPlan(Fixtures.keepAlivePlan)
        // Taken while the store is open, as beside a running server.
        let summary = try SQLiteBackup.backup(source: live, to: folder + "/copy.sqlite")
        try await store.shutdown()
        #expect(summary.schemaVersion == Migrator.all.map(\.version).max())
        #expect(summary.bytes > 0)
        #expect(throws: SQLiteBackup.Failure.self) { try SQLiteBackup.backup(source: live, to: folder + "/copy.sqlite") }

        let target = folder + "/restored/baohao.sqlite"
        try FileManager.default.createDirectory(atPath: folder + "/restored", withIntermediateDirectories: true)
        _ = try SQLiteBackup.restore(from: folder + "/copy.sqlite", to: target, replacing: false, now: Fixtures.clock().now())
        let restored = try await SQLiteStore.open(path: target, logger: .init(label: "test"))
        #expect(try await AdminService(store: restored, clock: Fixtures.clock()).plans().map(\.code) == ["KEEP5"])
        try await restored.shutdown()

        #expect(throws: SQLiteBackup.Failure.self) {
            try SQLiteBackup.restore(from: folder + "/copy.sqlite", to: target, replacing: false, now: Fixtures.clock().now())
        }
        _ = try SQLiteBackup.restore(from: folder + "/copy.sqlite", to: target, replacing: true, now: Fixtures.clock().now())
        let kept = try FileManager.default.contentsOfDirectory(atPath: folder + "/restored")
        #expect(kept.contains { $0.hasPrefix("baohao.sqlite.before-restore-") })
    }

    @Test("a file that is not a Baohao database is refused and nothing is written")
    func refusesJunk() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baohao-junk-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: folder + "/junk.sqlite"))
        #expect(throws: SQLiteBackup.Failure.self) {
            try SQLiteBackup.restore(
                from: folder + "/junk.sqlite", to: folder + "/baohao.sqlite", replacing: false, now: Fixtures.clock().now())
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/baohao.sqlite"))
        #expect(throws: SQLiteBackup.Failure.self) {
            try SQLiteBackup.backup(source: folder + "/missing.sqlite", to: folder + "/copy.sqlite")
        }
    }
}
