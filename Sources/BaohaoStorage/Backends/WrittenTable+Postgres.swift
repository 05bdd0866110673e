import PostgresNIO

/// A ``WrittenTable`` as PostgreSQL's checked write uses it: every column bound as one array and
/// expanded with `unnest` (``PostgresCheckedCredit``).
extension WrittenTable {
    /// Appends each column's values across `rows` as one array parameter, in column order.
    func bindColumns(_ rows: [Row], into bindings: inout PostgresBindings) {
        for column in columns {
            switch column.value {
            case .text(let value): bindings.append(rows.map(value))
            case .optionalText(let value): bindings.append(PostgresNullableArray(rows.map(value)))
            case .int(let value): bindings.append(rows.map(value))
            case .optionalInt(let value): bindings.append(PostgresNullableArray(rows.map(value)))
            }
        }
    }
}
