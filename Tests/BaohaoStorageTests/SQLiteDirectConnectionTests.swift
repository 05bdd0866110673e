import Foundation
import Logging
import NIOCore
import SQLKit
import SQLiteKit
import SQLiteNIO
import Testing

@testable import BaohaoStorage

/// The direct SQLite connection (synchronous, on its own thread) against SQLiteNIO: the same file,
/// the same values, the same errors.
@Suite("SQLite direct connection")
struct SQLiteDirectConnectionTests {
    let logger = Logger(label: "test")

    func withConnection(_ body: (SQLiteDirectDatabase, String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baohao-direct-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("w.sqlite").path
        let database = try SQLiteDirectDatabase.open(path: path, name: "test-direct", logger: logger)
        defer { database.close() }
        try await database.onThread { db in
            _ = try await db.raw("PRAGMA journal_mode=WAL").all()
            try await body(db, path)
        }
    }

    @Test("what a direct connection stores, SQLiteNIO reads back unchanged, and so does the connection")
    func valuesRoundTrip() async throws {
        try await withConnection { db, path in
            try await db.raw("CREATE TABLE t (id INTEGER PRIMARY KEY, n BIGINT, s TEXT, o TEXT, b BLOB, f REAL)").run()
            let text = "保号 ✓ tail 'quoted' \\ %"
            let blob = Data([0, 1, 2, 255])
            try await db.raw(
                "INSERT INTO t VALUES (1, \(bind: Int64.max), \(bind: text), \(bind: String?.none), \(bind: blob), \(bind: 2.5))"
            ).run()
            try await db.raw("INSERT INTO t VALUES (2, \(bind: Int64.min), \(bind: ""), \(bind: "x"), NULL, NULL)").run()
            // Int, optionals holding a value, and a Bool (the encoder's path): row 3.
            try await db.raw(
                "INSERT INTO t VALUES (3, \(bind: 7), \(bind: String?.some("opt")), \(bind: Int64?.some(9)), NULL, \(bind: true))"
            )
            .run()

            let written = try await db.raw("SELECT * FROM t ORDER BY id").all()
            let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            let read = try await reader.sql().raw("SELECT * FROM t ORDER BY id").all()
            try await reader.close()

            #expect(written.count == 3 && read.count == 3)
            for rows in [written, read] {
                #expect(try rows[0].decode(column: "n", as: Int64.self) == Int64.max)
                #expect(try rows[0].decode(column: "s", as: String.self) == text)
                #expect(try rows[0].decode(column: "o", as: String?.self) == nil)
                #expect(try rows[0].decodeNil(column: "o"))
                #expect(try rows[0].decode(column: "b", as: Data.self) == blob)
                #expect(try rows[0].decode(column: "f", as: Double.self) == 2.5)
                #expect(try rows[1].decode(column: "n", as: Int64.self) == Int64.min)
                #expect(try rows[1].decode(column: "s", as: String.self) == "")
                #expect(try rows[1].decode(column: "o", as: String?.self) == "x")
                #expect(try rows[0].decode(column: "id", as: Int.self) == 1)
                #expect(try rows[0].decode(column: "id", as: Int?.self) == 1)
                #expect(try rows[0].decode(column: "n", as: Int64?.self) == Int64.max)
                #expect(try rows[1].decode(column: "b", as: Int64?.self) == nil)
                #expect(try rows[1].decode(column: "f", as: Int?.self) == nil)
                #expect(try rows[2].decode(column: "n", as: Int.self) == 7)
                #expect(try rows[2].decode(column: "s", as: String.self) == "opt")
                #expect(try rows[2].decode(column: "o", as: String.self) == "9")
                #expect(try rows[2].decode(column: "f", as: Double.self) == 1)
                #expect(try rows[2].decode(column: "f", as: Bool.self))
                #expect(throws: (any Error).self) { try rows[0].decode(column: "s", as: Int64.self) }
            }
            #expect(written[0].allColumns == ["id", "n", "s", "o", "b", "f"])
            #expect(throws: (any Error).self) { try written[0].decode(column: "missing", as: String.self) }
        }
    }

    @Test("a refused statement reports SQLite's reason, keeps nothing, and its cached statement works again")
    func errorsLeaveTheStatementUsable() async throws {
        try await withConnection { db, _ in
            try await db.raw("CREATE TABLE u (k TEXT PRIMARY KEY)").run()
            let insert: (String) -> SQLQueryString = { "INSERT INTO u (k) VALUES (\(bind: $0))" }
            try await db.raw(insert("a")).run()
            do {
                try await db.raw(insert("a")).run()
                Issue.record("a duplicate key was accepted")
            } catch let error as SQLiteDirectError {
                #expect(error.message.contains("UNIQUE constraint failed"))
            }
            try await db.raw(insert("b")).run()
            let keys = try await db.raw("SELECT k FROM u ORDER BY k").all().map { try $0.decode(column: "k", as: String.self) }
            #expect(keys == ["a", "b"])
        }
    }

    @Test("more distinct statements than the cache keeps all run, and a rolled-back transaction keeps nothing")
    func cacheAndTransactions() async throws {
        try await withConnection { db, _ in
            try await db.raw("CREATE TABLE c (n BIGINT)").run()
            let count = SQLiteDirectConnection.maximumCachedStatements * 2 + 7
            for n in 0..<count {
                try await db.raw("INSERT INTO c (n) VALUES (\(unsafeRaw: String(n)))").run()
            }
            try await db.raw("BEGIN IMMEDIATE").run()
            try await db.raw("INSERT INTO c (n) VALUES (-1)").run()
            try await db.raw("ROLLBACK").run()
            let row = try await db.raw("SELECT count(*) AS k, sum(n) AS s, min(n) AS m FROM c").first()
            #expect(try row?.decode(column: "k", as: Int64.self) == Int64(count))
            #expect(try row?.decode(column: "s", as: Int64.self) == Int64(count * (count - 1) / 2))
            #expect(try row?.decode(column: "m", as: Int64.self) == 0)
        }
    }
}
