import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO

/// SQLKit's view of the ``SQLiteDirectConnection``: every query runs synchronously on the calling
/// thread, so callers run on the connection's own ``ThreadExecutor``. Binds are encoded and values
/// decoded exactly as SQLiteKit does.
struct SQLiteDirectDatabase: SQLDatabase, RowsWriter {
    let connection: SQLiteDirectConnection
    /// The connection's own thread.
    let executor: ThreadExecutor
    let logger: Logger
    let eventLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.any()
    var version: (any SQLDatabaseReportedVersion)? { nil }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }

    /// Opens (creating if needed) the database file at `path`, served by a new thread named `name`.
    static func open(path: String, name: String, logger: Logger) throws -> SQLiteDirectDatabase {
        SQLiteDirectDatabase(connection: try SQLiteDirectConnection(path: path), executor: ThreadExecutor(name: name), logger: logger)
    }

    /// Runs `body` on the connection's thread: its queries then cost no thread hand-offs.
    func onThread<T: Sendable>(_ body: (SQLiteDirectDatabase) async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(executor) { try await body(self) }
    }

    /// Closes the connection and lets its thread end.
    func close() {
        connection.close()
        executor.shutdown()
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        do {
            try run(query, onRow)
            return eventLoop.makeSucceededVoidFuture()
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try run(query, onRow)
    }

    private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> Void) throws {
        let (sql, binds) = serialize(query)
        let encoder = SQLiteDataEncoder()
        try connection.query(sql, binds.map { try Self.encode($0, encoder) }) { columns, values in
            onRow(SQLiteDirectRow(columns: columns, values: values))
        }
    }

    func write(_ rows: RowsWrite) throws {
        guard let sql = rows.singleRowSQL else { return }
        for row in rows.rows {
            try connection.query(sql, row.map(Self.data)) { _, _ in }
        }
    }

    static func data(_ value: RowValue) -> SQLiteData {
        switch value {
        case .text(let v): .text(v)
        case .optionalText(let v): v.map { .text($0) } ?? .null
        case .int(let v): .integer(SQLiteInt64(v))
        case .optionalInt(let v): v.map { .integer(SQLiteInt64($0)) } ?? .null
        }
    }

    /// Text and integers, most of a batch's binds, directly; anything else as SQLiteKit encodes it
    /// (its `Encoder` path costs several dynamic casts per value).
    static func encode(_ value: any Encodable & Sendable, _ encoder: SQLiteDataEncoder) throws -> SQLiteData {
        switch value {
        case let text as String: .text(text)
        case let number as Int64: .integer(SQLiteInt64(number))
        case let number as Int: .integer(SQLiteInt64(number))
        default: try encoder.encode(value)
        }
    }
}

/// One result row of a ``SQLiteDirectConnection``.
struct SQLiteDirectRow: SQLRow {
    let columns: SQLiteDirectColumns
    let values: [SQLiteData]

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool { columns.index[column] != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let position = columns.index[column] else { return true }
        return values[position] == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let position = columns.index[column] else {
            throw DecodingError.keyNotFound(
                SQLiteDirectColumnKey(column), .init(codingPath: [], debugDescription: "no column \(column) in the result"))
        }
        let value = values[position]
        switch value {
        case .text(let text):
            if D.self == String.self { return unsafeBitCast(text, to: D.self) }
            if D.self == String?.self { return unsafeBitCast(Optional(text), to: D.self) }
        case .integer(let number):
            if D.self == Int64.self { return unsafeBitCast(Int64(number), to: D.self) }
            if D.self == Int64?.self { return unsafeBitCast(Optional(Int64(number)), to: D.self) }
            if D.self == Int.self { return unsafeBitCast(Int(number), to: D.self) }
            if D.self == Int?.self { return unsafeBitCast(Optional(Int(number)), to: D.self) }
        case .null:
            if D.self == String?.self { return unsafeBitCast(String?.none, to: D.self) }
            if D.self == Int64?.self { return unsafeBitCast(Int64?.none, to: D.self) }
            if D.self == Int?.self { return unsafeBitCast(Int?.none, to: D.self) }
        default: break
        }
        // Anything else as SQLiteKit decodes it (its `Decoder` path costs several dynamic casts).
        return try SQLiteDataDecoder().decode(D.self, from: value)
    }
}

private struct SQLiteDirectColumnKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
