import PostgresNIO
import SQLKit

extension RowsWrite {
    /// The whole write as one PostgreSQL statement (``ArrayForm``), or `nil` when it has no array
    /// form or no rows. Each column's values are bound as one array, typed by the column's kind of
    /// value (every row of a ``WrittenTable`` gives a column the same kind): text and bigint arrays,
    /// with NULL elements for the optional columns (``PostgresNullableArray``).
    var arrayStatement: SQLQueryString? {
        guard let form = arrayForm, let first = rows.first else { return nil }
        var query = SQLQueryString(form.head)
        for column in first.indices {
            if column > 0 { query.appendInterpolation(unsafeRaw: ", ") }
            switch first[column] {
            case .text:
                query.appendInterpolation(bind: rows.map { $0[column].text ?? "" })
                query.appendInterpolation(unsafeRaw: "::text[]")
            case .optionalText:
                query.appendInterpolation(bind: PostgresNullableArray(rows.map { $0[column].text }))
                query.appendInterpolation(unsafeRaw: "::text[]")
            case .int:
                query.appendInterpolation(bind: rows.map { $0[column].int ?? 0 })
                query.appendInterpolation(unsafeRaw: "::bigint[]")
            case .optionalInt:
                query.appendInterpolation(bind: PostgresNullableArray(rows.map { $0[column].int }))
                query.appendInterpolation(unsafeRaw: "::bigint[]")
            }
        }
        query.appendInterpolation(unsafeRaw: form.tail)
        return query
    }
}

extension RowValue {
    /// The value of a text column (`nil` for NULL or a number).
    var text: String? {
        switch self {
        case .text(let value): value
        case .optionalText(let value): value
        case .int, .optionalInt: nil
        }
    }

    /// The value of a bigint column (`nil` for NULL or text).
    var int: Int64? {
        switch self {
        case .int(let value): value
        case .optionalInt(let value): value
        case .text, .optionalText: nil
        }
    }
}
