import PostgresKit
import PostgresNIO
import SQLKit

/// A PostgreSQL row read by column name, with text and integer columns decoded directly by
/// PostgresNIO. PostgresKit's own row sends every value through a generic translation that looks
/// the type's conformances up at run time; this was most of the time spent reading a checked
/// batch. Other types still go through PostgresKit.
struct PostgresDirectRow: SQLRow {
    let row: PostgresRow
    let cells: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        self.row = row
        self.cells = row.makeRandomAccess()
    }

    var allColumns: [String] { cells.map(\.columnName) }

    func contains(column: String) -> Bool { cells.contains(column) }

    func decodeNil(column: String) throws -> Bool { !cells.contains(column) || cells[column].bytes == nil }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard cells.contains(column) else { return try row.sql().decode(column: column, as: type) }
        let cell = cells[column]
        if D.self == String.self { return try cell.decode(String.self) as! D }
        if D.self == String?.self { return try cell.decode(String?.self) as! D }
        if D.self == Int64.self { return try cell.decode(Int64.self) as! D }
        if D.self == Int64?.self { return try cell.decode(Int64?.self) as! D }
        if D.self == Int.self { return try cell.decode(Int.self) as! D }
        if D.self == Int?.self { return try cell.decode(Int?.self) as! D }
        return try row.sql().decode(column: column, as: type)
    }
}
