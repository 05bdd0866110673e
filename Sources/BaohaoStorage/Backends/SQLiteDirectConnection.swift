import Foundation
import NIOCore
import SQLiteNIO
import VaporCSQLite

/// A SQLite connection called synchronously on the caller's thread (its own ``ThreadExecutor``),
/// with its prepared statements kept for reuse. ``SQLiteStore`` has one writer and a few readers.
///
/// It calls the SQLite library SQLiteNIO bundles: two copies of SQLite in one process would not
/// see each other's file locks.
final class SQLiteDirectConnection: @unchecked Sendable {
    /// Most prepared statements kept; a batch's statements differ only by row count.
    static let maximumCachedStatements = 128

    private let lock = NSLock()
    private var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]

    /// Opens (creating if needed) the database file at `path`.
    init(path: String) throws {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_EXRESCODE
        let opened = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard opened == SQLITE_OK, let handle else {
            if let handle { sqlite_nio_sqlite3_close_v2(handle) }
            throw SQLiteDirectError(code: opened, message: "cannot open the SQLite database at \(path)")
        }
        self.handle = handle
    }

    deinit { close() }

    /// Runs one statement, handing each result row to `onRow` as column names and values.
    func query(_ sql: String, _ binds: [SQLiteData], _ onRow: (SQLiteDirectColumns, [SQLiteData]) throws -> Void) throws {
        try lock.withLock {
            guard let handle else { throw SQLiteDirectError(code: SQLITE_MISUSE, message: "the connection is closed") }
            let statement = try prepared(sql, on: handle)
            defer {
                sqlite_nio_sqlite3_reset(statement)
                sqlite_nio_sqlite3_clear_bindings(statement)
            }
            for (index, value) in binds.enumerated() {
                try check(bind(value, at: Int32(index + 1), to: statement), on: handle)
            }
            var columns: SQLiteDirectColumns?
            while true {
                let step = sqlite_nio_sqlite3_step(statement)
                if step == SQLITE_DONE { return }
                guard step == SQLITE_ROW else { throw error(step, on: handle) }
                let names = columns ?? SQLiteDirectColumns(statement)
                columns = names
                try onRow(names, (0..<Int32(names.count)).map { Self.value(statement, $0) })
            }
        }
    }

    /// Finalizes the statements and closes the connection; later queries fail.
    func close() {
        lock.withLock {
            for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
            statements = [:]
            if let handle { sqlite_nio_sqlite3_close_v2(handle) }
            handle = nil
        }
    }

    private func prepared(_ sql: String, on handle: OpaquePointer) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        var statement: OpaquePointer?
        let result = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard result == SQLITE_OK, let statement else { throw error(result, on: handle) }
        if statements.count >= Self.maximumCachedStatements {
            for old in statements.values { sqlite_nio_sqlite3_finalize(old) }
            statements = [:]
        }
        statements[sql] = statement
        return statement
    }

    private func bind(_ value: SQLiteData, at index: Int32, to statement: OpaquePointer) -> Int32 {
        switch value {
        case .integer(let v): return sqlite_nio_sqlite3_bind_int64(statement, index, Int64(v))
        case .float(let v): return sqlite_nio_sqlite3_bind_double(statement, index, v)
        case .text(let v):
            return sqlite_nio_sqlite3_bind_text64(
                statement, index, v, UInt64(v.utf8.count), Self.transient, UInt8(SQLITE_UTF8))
        case .blob(let v):
            return v.withUnsafeReadableBytes {
                sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), Self.transient)
            }
        case .null: return sqlite_nio_sqlite3_bind_null(statement, index)
        }
    }

    private static func value(_ statement: OpaquePointer, _ column: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(SQLiteInt64(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return .text("") }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            if let bytes = sqlite_nio_sqlite3_column_blob(statement, column), count > 0 {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: count))
            }
            return .blob(buffer)
        default: return .null
        }
    }

    private func check(_ result: Int32, on handle: OpaquePointer) throws {
        guard result == SQLITE_OK else { throw error(result, on: handle) }
    }

    private func error(_ code: Int32, on handle: OpaquePointer) -> SQLiteDirectError {
        SQLiteDirectError(code: code, message: sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "unknown")
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// A result's column names, shared by its rows.
final class SQLiteDirectColumns: Sendable {
    let names: [String]
    let index: [String: Int]
    var count: Int { names.count }

    init(_ statement: OpaquePointer) {
        let names = (0..<sqlite_nio_sqlite3_column_count(statement)).map {
            sqlite_nio_sqlite3_column_name(statement, $0).map { String(cString: $0) } ?? ""
        }
        self.names = names
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() where index[name] == nil { index[name] = position }
        self.index = index
    }
}

/// An error SQLite reported to a direct connection, with its (extended) result code.
struct SQLiteDirectError: Error, CustomStringConvertible {
    let code: Int32
    let message: String
    var description: String { "SQLite error \(code): \(message)" }
}
