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
    public struct RowError: Error, Sendable, Hashable, CustomStringConvertible {
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

    /// Parses a whole file held in memory (the admin API's body, at most ``maximumRows`` rows).
    /// Rows come back with their line numbers; structural problems are row errors. The CLI streams
    /// files of any length with ``LineImportCSVReader`` instead.
    public static func parse(_ text: String, currency: Currency = .cny) -> (
        rows: [(row: Int, line: NewLine)], errors: [ImportReport.RowError]
    ) {
        var scanner = CSVScanner()
        var records = scanner.feed(Array(text.utf8))
        records += scanner.finish()
        guard let header = records.first else {
            return ([], [ImportReport.RowError(row: 1, field: "header", message: "empty file / 文件为空")])
        }
        let columns: Columns
        switch Self.columns(header) {
        case .success(let found): columns = found
        case .failure(let error): return ([], [error])
        }
        let body = records.dropFirst().filter { !$0.isBlank }
        if body.count > maximumRows {
            return ([], [ImportReport.RowError(row: header.line, field: "file", message: "more than \(maximumRows) rows / 行数超过上限")])
        }
        var rows: [(Int, NewLine)] = []
        var errors: [ImportReport.RowError] = []
        for record in body {
            switch row(record, columns: columns, currency: currency) {
            case .success(let line): rows.append((record.line, line))
            case .failure(let error): errors.append(error)
            }
        }
        return (rows, errors)
    }

    /// Where each required column is, from the header record.
    struct Columns: Sendable {
        let count: Int
        let index: [String: Int]
    }

    static func columns(_ header: Record) -> Result<Columns, ImportReport.RowError> {
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() { index[name] = position }
        let missing = requiredColumns.filter { index[$0] == nil }
        guard missing.isEmpty else {
            return .failure(
                ImportReport.RowError(
                    row: header.line, field: "header", message: "missing column(s) \(missing.joined(separator: ", ")) / 缺少列"))
        }
        return .success(Columns(count: names.count, index: index))
    }

    /// One data record as a line to add, or why it is not one.
    static func row(_ record: Record, columns: Columns, currency: Currency) -> Result<NewLine, ImportReport.RowError> {
        guard !record.badEncoding else {
            return .failure(.init(row: record.line, field: "row", message: "not UTF-8 text / 编码不是 UTF-8"))
        }
        guard record.fields.count == columns.count else {
            return .failure(
                .init(row: record.line, field: "row", message: "expected \(columns.count) fields, found \(record.fields.count) / 字段数不符"))
        }
        func value(_ name: String) -> String { record.fields[columns.index[name]!].trimmingCharacters(in: .whitespaces) }
        guard let balance = parseMajorAmount(value("opening_balance"), currency: currency) else {
            return .failure(.init(row: record.line, field: "opening_balance", message: "not an amount like 12.50 / 金额格式错误"))
        }
        return .success(
            NewLine(msisdn: value("msisdn"), planCode: value("plan"), holderName: value("holder_name"), openingBalance: balance))
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

    /// One CSV record: its first line's number and its fields.
    struct Record: Sendable {
        let line: Int
        let fields: [String]
        /// Some field was not valid UTF-8.
        var badEncoding = false

        /// An empty line between rows.
        var isBlank: Bool { fields.count == 1 && fields[0].trimmingCharacters(in: .whitespaces).isEmpty }
    }
}
