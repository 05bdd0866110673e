import SQLKit

/// One value of a row in a ``RowsWrite``.
enum RowValue {
    case text(String)
    case optionalText(String?)
    case int(Int64)
    case optionalInt(Int64?)
}

/// Rows written by one statement shape: the text before the `VALUES` rows, the text after them,
/// and each row's values.
///
/// On PostgreSQL it is one statement whatever the number of rows: each column bound as one array
/// and expanded with `unnest` (``arrayForm``). Without an array form, it becomes multi-row
/// statements of up to ``BufferedCreditSession/rowsPerStatement`` rows. On SQLite's direct writer
/// it is a single-row statement, prepared once per connection and stepped once per row: no SQL
/// text is built or parsed per batch, and the binds need no SQLKit serialization (a fifth of the
/// writer thread's time when every batch built its multi-row statements).
struct RowsWrite {
    let head: String
    let tail: String
    let rows: [[RowValue]]
    /// SQLite's single-row statement when it is not `head (?, …) tail`; it binds a row's values in
    /// their order (`?1`, `?2`, …).
    let rowSQL: String?
    /// PostgreSQL's single statement for all the rows, when the write has one.
    let arrayForm: ArrayForm?

    /// PostgreSQL's statement for a whole write: `head`, then each column's values as one typed
    /// array parameter, comma-separated (the arguments of an `unnest`), then `tail`.
    ///
    /// Its text depends on the table, not on the number of rows, and its parameters are one per
    /// column: a 1,000-line retention batch of multi-row `VALUES` statements bound about 25,000
    /// parameters, each encoded on its own, and was parsed and planned afresh every time.
    struct ArrayForm {
        let head: String
        let tail: String
    }

    init<Row>(
        _ head: String, tail: String = "", rowSQL: String? = nil, arrayForm: ArrayForm? = nil, _ rows: some Collection<Row>,
        _ values: (Row) -> [RowValue]
    ) {
        self.head = head
        self.tail = tail
        self.rowSQL = rowSQL
        self.arrayForm = arrayForm
        self.rows = rows.map(values)
    }

    /// Multi-row statements of at most ``BufferedCreditSession/rowsPerStatement`` rows each.
    var statements: [SQLQueryString] {
        rows.chunked(BufferedCreditSession.rowsPerStatement).map { chunk in
            var query = SQLQueryString(head)
            for (index, row) in chunk.enumerated() {
                query.appendInterpolation(unsafeRaw: index == 0 ? "(" : ", (")
                for (column, value) in row.enumerated() {
                    if column > 0 { query.appendInterpolation(unsafeRaw: ", ") }
                    switch value {
                    case .text(let v): query.appendInterpolation(bind: v)
                    case .optionalText(let v): query.appendInterpolation(bind: v)
                    case .int(let v): query.appendInterpolation(bind: v)
                    case .optionalInt(let v): query.appendInterpolation(bind: v)
                    }
                }
                query.appendInterpolation(unsafeRaw: ")")
            }
            query.appendInterpolation(unsafeRaw: tail)
            return query
        }
    }

    /// The single-row statement with `?` placeholders, for SQLite; nil when there are no rows.
    var singleRowSQL: String? {
        rows.first.map { rowSQL ?? head + "(" + Array(repeating: "?", count: $0.count).joined(separator: ", ") + ")" + tail }
    }
}

/// A connection that writes a ``RowsWrite`` itself, row by row (SQLite's direct writer).
protocol RowsWriter {
    func write(_ rows: RowsWrite) throws
}
