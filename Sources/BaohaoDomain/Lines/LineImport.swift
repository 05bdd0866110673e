import Foundation

/// A line to add, as typed by an operator or read from a CSV row.
public struct NewLine: Sendable, Hashable {
    public let msisdn: String
    public let planCode: String
    public let holderName: String
    public let openingBalance: Money
    /// Overrides the operator hinted by the number range (after porting, say).
    public let mobileOperator: MobileOperator?
    /// For a line moved from another billing system already in arrears: the local day its
    /// arrears began, from which its policy's stages count. `nil`: the day it is added.
    public let arrearsSince: LocalDate?

    public init(
        msisdn: String, planCode: String, holderName: String, openingBalance: Money, mobileOperator: MobileOperator? = nil,
        arrearsSince: LocalDate? = nil
    ) {
        self.arrearsSince = arrearsSince
        self.msisdn = msisdn
        self.planCode = planCode
        self.holderName = holderName
        self.openingBalance = openingBalance
        self.mobileOperator = mobileOperator
    }
}

/// What an import did, or why it did nothing.
public struct ImportReport: Sendable, Hashable {
    /// One bad row: its 1-based line number in the file and what is wrong.
    public struct RowError: Sendable, Hashable, CustomStringConvertible {
        public let row: Int
        public let field: String
        public let message: String

        public init(row: Int, field: String, message: String) {
            self.row = row
            self.field = field
            self.message = message
        }

        public var description: String { "line \(row): \(field): \(message)" }
    }

    public let rowsRead: Int
    public let imported: Int
    public let errors: [RowError]

    public init(rowsRead: Int, imported: Int, errors: [RowError]) {
        self.rowsRead = rowsRead
        self.imported = imported
        self.errors = errors
    }
}

/// Reads the line import CSV: a header `msisdn,plan,holder_name,opening_balance` (columns in any
/// order), then one line per row. `opening_balance` is in major units with at most two decimals
/// (`12.50`), empty meaning zero. RFC 4180 quoting is understood.
public enum LineImportCSV {
    /// Most rows accepted in one import.
    public static let maximumRows = 10_000
    static let requiredColumns = ["msisdn", "plan", "holder_name", "opening_balance"]

    /// Parses the file. Rows come back with their line numbers; structural problems are row errors.
    public static func parse(_ text: String, currency: Currency = .cny) -> (
        rows: [(row: Int, line: NewLine)], errors: [ImportReport.RowError]
    ) {
        var rows: [(Int, NewLine)] = []
        var errors: [ImportReport.RowError] = []
        let records = splitRecords(text)
        guard let header = records.first else {
            return ([], [ImportReport.RowError(row: 1, field: "header", message: "empty file / 文件为空")])
        }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var index: [String: Int] = [:]
        for (position, name) in columns.enumerated() { index[name] = position }
        let missing = requiredColumns.filter { index[$0] == nil }
        guard missing.isEmpty else {
            return (
                [],
                [
                    ImportReport.RowError(
                        row: header.line, field: "header", message: "missing column(s) \(missing.joined(separator: ", ")) / 缺少列")
                ]
            )
        }
        let body = records.dropFirst().filter { !($0.fields.count == 1 && $0.fields[0].trimmingCharacters(in: .whitespaces).isEmpty) }
        if body.count > maximumRows {
            return ([], [ImportReport.RowError(row: header.line, field: "file", message: "more than \(maximumRows) rows / 行数超过上限")])
        }
        for record in body {
            guard record.fields.count == columns.count else {
                errors.append(
                    .init(row: record.line, field: "row", message: "expected \(columns.count) fields, found \(record.fields.count) / 字段数不符")
                )
                continue
            }
            func value(_ name: String) -> String { record.fields[index[name]!].trimmingCharacters(in: .whitespaces) }
            guard let balance = parseMajorAmount(value("opening_balance"), currency: currency) else {
                errors.append(.init(row: record.line, field: "opening_balance", message: "not an amount like 12.50 / 金额格式错误"))
                continue
            }
            rows.append(
                (
                    record.line,
                    NewLine(msisdn: value("msisdn"), planCode: value("plan"), holderName: value("holder_name"), openingBalance: balance)
                ))
        }
        return (rows, errors)
    }

    /// `12.5` / `12.50` / `-3` → minor units; `nil` for anything else. Empty is zero.
    public static func parseMajorAmount(_ text: String, currency: Currency) -> Money? {
        if text.isEmpty { return .zero(currency) }
        var digits = Substring(text)
        var negative = false
        if digits.first == "-" { negative = true; digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 12,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { return nil }
        let exponent = currency.minorUnitExponent
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.count <= exponent, parts.count == 1 || !fraction.isEmpty else { return nil }
        while fraction.count < exponent { fraction += "0" }
        guard let minor = Int64(String(parts[0]) + fraction) else { return nil }
        return Money(negative ? -minor : minor, currency)
    }

    struct Record {
        let line: Int
        let fields: [String]
    }

    static func splitRecords(_ text: String) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        func nextScalar() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = nextScalar() {
            if inQuotes {
                if c == "\"" {
                    if let n = nextScalar() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = n }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: inQuotes = true
            case ",": fields.append(field); field = ""
            case "\r": continue
            case "\n":
                fields.append(field); field = ""
                records.append(Record(line: recordLine, fields: fields)); fields = []
                line += 1; recordLine = line
            case "\u{FEFF}" where records.isEmpty && fields.isEmpty && field.isEmpty: continue
            default: field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append(Record(line: recordLine, fields: fields))
        }
        return records
    }
}
