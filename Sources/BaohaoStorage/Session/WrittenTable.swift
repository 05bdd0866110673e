import SQLKit

/// A column a batch writes: its name, and how a row gives its value, typed.
struct WrittenColumn<Row>: Sendable {
    /// The value's type and how a row gives it.
    enum Value: Sendable {
        case text(@Sendable (Row) -> String)
        case optionalText(@Sendable (Row) -> String?)
        case int(@Sendable (Row) -> Int64)
        case optionalInt(@Sendable (Row) -> Int64?)
    }

    let name: String
    let value: Value

    static func text(_ name: String, _ value: @escaping @Sendable (Row) -> String) -> Self { Self(name: name, value: .text(value)) }
    static func optionalText(_ name: String, _ value: @escaping @Sendable (Row) -> String?) -> Self {
        Self(name: name, value: .optionalText(value))
    }
    static func int(_ name: String, _ value: @escaping @Sendable (Row) -> Int64) -> Self { Self(name: name, value: .int(value)) }
    static func optionalInt(_ name: String, _ value: @escaping @Sendable (Row) -> Int64?) -> Self {
        Self(name: name, value: .optionalInt(value))
    }

    /// The column's SQL type.
    var sqlType: String {
        switch value {
        case .text, .optionalText: "TEXT"
        case .int, .optionalInt: "BIGINT"
        }
    }

    /// This column's value in `row`.
    func rowValue(_ row: Row) -> RowValue {
        switch value {
        case .text(let f): .text(f(row))
        case .optionalText(let f): .optionalText(f(row))
        case .int(let f): .int(f(row))
        case .optionalInt(let f): .optionalInt(f(row))
        }
    }
}

/// The columns a batch writes to one table, in the one order that every way of writing them
/// shares: SQLite's prepared single-row statements and PostgreSQL's multi-row statements (both
/// through ``RowsWrite``), and PostgreSQL's checked write, which binds each column as an array
/// (``PostgresCheckedCredit``). A column added here is written by all of them.
///
/// For an update, the first column is the key (`id`) and the others are assigned.
struct WrittenTable<Row>: Sendable {
    let table: String
    let columns: [WrittenColumn<Row>]

    /// The columns an update assigns: all but the key.
    var assigned: ArraySlice<WrittenColumn<Row>> { columns.dropFirst() }

    /// The column names, comma-separated, in order (also what a read of the whole record selects).
    var columnList: String { columns.map(\.name).joined(separator: ", ") }

    /// `INSERT INTO table (columns…) VALUES` for `rows`, followed by `tail`.
    func insert(_ rows: some Collection<Row>, tail: String = "") -> RowsWrite {
        RowsWrite(
            "INSERT INTO \(table) (\(columnList)) VALUES ", tail: tail,
            arrayForm: .init(head: "INSERT INTO \(table) (\(columnList)) SELECT * FROM unnest(", tail: ")" + tail),
            rows, values)
    }

    /// `INSERT INTO table (columns…) VALUES (…)` for one row, followed by `tail`, through SQLKit.
    func insertStatement(_ row: Row, tail: String = "") -> SQLQueryString {
        insert([row], tail: tail).statements[0]
    }

    /// An update of each row, matched on the key: on PostgreSQL from `unnest` over one array per
    /// column, all rows in one statement; on SQLite `UPDATE … SET … WHERE key = ?1`, one row a step. (SQLite's
    /// `UPDATE … FROM` opens a statement journal for every step, about a tenth of a retention
    /// review's CPU.)
    func update(_ rows: some Collection<Row>) -> RowsWrite {
        let set = assigned.map { "\($0.name) = CAST(v.\($0.name) AS \($0.sqlType))" }.joined(separator: ", ")
        let aliases = columns.enumerated().map { "column\($0.offset + 1) AS \($0.element.name)" }.joined(separator: ", ")
        let key = columns[0].name
        let numbered = assigned.enumerated().map { "\($0.element.name) = ?\($0.offset + 2)" }.joined(separator: ", ")
        let unnestSet = assigned.map { "\($0.name) = v.\($0.name)" }.joined(separator: ", ")
        return RowsWrite(
            "UPDATE \(table) SET \(set) FROM (SELECT \(aliases) FROM (VALUES ", tail: ") AS t) AS v WHERE \(table).\(key) = v.\(key)",
            rowSQL: "UPDATE \(table) SET \(numbered) WHERE \(key) = ?1",
            arrayForm: .init(
                head: "UPDATE \(table) SET \(unnestSet) FROM unnest(",
                tail: ") AS v (\(columnList)) WHERE \(table).\(key) = v.\(key)"),
            rows, values)
    }

    /// The same table with only the named columns (the key always kept), in their order here.
    func only(_ names: Set<String>) -> Self {
        Self(table: table, columns: columns.enumerated().filter { $0.offset == 0 || names.contains($0.element.name) }.map(\.element))
    }

    func values(_ row: Row) -> [RowValue] {
        columns.map { $0.rowValue(row) }
    }
}
