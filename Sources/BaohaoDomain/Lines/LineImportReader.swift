import Foundation

/// Rows of a line import, a batch at a time: a file is streamed from disk instead of read whole.
public protocol LineImportSource: AnyObject, Sendable {
    /// The next rows with their line numbers and the row errors found reading them; `nil` at the
    /// end of the input.
    func nextBatch() throws -> LineImportBatch?
}

/// Rows read from an import, and the rows that could not be read.
public struct LineImportBatch: Sendable {
    public var rows: [(row: Int, line: NewLine)]
    public var errors: [ImportReport.RowError]

    public init(rows: [(row: Int, line: NewLine)], errors: [ImportReport.RowError]) {
        self.rows = rows
        self.errors = errors
    }
}

/// Rows already in memory (the admin API's bounded body), as one batch.
public final class LineImportRows: LineImportSource, @unchecked Sendable {
    private var batch: LineImportBatch?

    public init(rows: [(row: Int, line: NewLine)], errors: [ImportReport.RowError]) {
        batch = LineImportBatch(rows: rows, errors: errors)
    }

    public func nextBatch() throws -> LineImportBatch? {
        defer { batch = nil }
        return batch
    }
}

/// Reads the import CSV (``LineImportCSV``'s format) from chunks of bytes as they come — a file of
/// any length in constant memory besides the rows of one batch. Quoted fields may span chunks and
/// lines; line numbers count the file's lines. One reader is used by one import at a time.
public final class LineImportCSVReader: LineImportSource, @unchecked Sendable {
    /// Rows handed out per batch.
    public let batchSize: Int
    let currency: Currency
    private let read: () throws -> [UInt8]?
    private var scanner = CSVScanner()
    private var pending: [LineImportCSV.Record] = []
    private var columns: LineImportCSV.Columns? = nil
    private var finished = false
    private var headerFailed = false

    /// `read` returns the next chunk of the file, or `nil` at its end.
    public init(batchSize: Int = 10_000, currency: Currency = .cny, read: @escaping () throws -> [UInt8]?) {
        self.batchSize = max(batchSize, 1)
        self.currency = currency
        self.read = read
    }

    public func nextBatch() throws -> LineImportBatch? {
        while pending.count < batchSize, !finished {
            if let chunk = try read() {
                pending += scanner.feed(chunk)
            } else {
                pending += scanner.finish()
                finished = true
            }
        }
        if columns == nil {
            guard !headerFailed else { return nil }
            guard !pending.isEmpty else {
                headerFailed = true
                return LineImportBatch(rows: [], errors: [.init(row: 1, field: "header", message: "empty file / 文件为空")])
            }
            let header = pending.removeFirst()
            switch LineImportCSV.columns(header) {
            case .success(let found): columns = found
            case .failure(let error):
                headerFailed = true
                return LineImportBatch(rows: [], errors: [error])
            }
        }
        guard !pending.isEmpty, let columns else { return nil }
        let take = min(batchSize, pending.count)
        let records = pending.prefix(take)
        pending.removeFirst(take)
        var batch = LineImportBatch(rows: [], errors: [])
        for record in records where !record.isBlank {
            switch LineImportCSV.row(record, columns: columns, currency: currency) {
            case .success(let line): batch.rows.append((record.line, line))
            case .failure(let error): batch.errors.append(error)
            }
        }
        return batch
    }
}

/// Splits CSV bytes into records (RFC 4180 quoting), fed a chunk at a time. Only ASCII bytes
/// (`"` `,` CR LF) are structure, so a UTF-8 character split between chunks stays whole.
struct CSVScanner {
    private var fields: [String] = []
    private var field: [UInt8] = []
    private var inQuotes = false
    private var quoteSeen = false
    private var line = 1
    private var recordLine = 1
    private var atStart = true
    private var fieldStarted = false

    /// The file's first bytes, held until it is known whether they are a byte-order mark.
    private var head: [UInt8] = []
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    mutating func feed(_ input: [UInt8]) -> [LineImportCSV.Record] {
        var bytes = input
        if atStart {
            head += input
            if head.count < 3, Self.byteOrderMark.starts(with: head) { return [] }
            bytes = head.starts(with: Self.byteOrderMark) ? Array(head.dropFirst(3)) : head
            head = []
            atStart = false
        }
        var records: [LineImportCSV.Record] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inQuotes {
                if quoteSeen {
                    quoteSeen = false
                    if byte == UInt8(ascii: "\"") {
                        field.append(byte)
                        continue
                    }
                    inQuotes = false
                    // falls through: `byte` is read as outside quotes
                } else if byte == UInt8(ascii: "\"") {
                    quoteSeen = true
                    continue
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                    continue
                }
            }
            switch byte {
            case UInt8(ascii: "\"") where field.isEmpty && !fieldStarted:
                inQuotes = true
                fieldStarted = true
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\r"):
                continue
            case UInt8(ascii: "\n"):
                endField()
                records.append(LineImportCSV.Record(line: recordLine, fields: fields, badEncoding: badEncoding))
                fields = []
                badEncoding = false
                line += 1
                recordLine = line
            default:
                field.append(byte)
                fieldStarted = true
            }
        }
        return records
    }

    /// The last record, when the input does not end with a line break.
    mutating func finish() -> [LineImportCSV.Record] {
        var records: [LineImportCSV.Record] = []
        if atStart {
            atStart = false
            let held = head
            head = []
            if !held.starts(with: Self.byteOrderMark) || held.count > 3 { records = feed(held) }
        }
        if inQuotes, quoteSeen { inQuotes = false }
        guard !field.isEmpty || !fields.isEmpty || fieldStarted else { return records }
        endField()
        defer { fields = [] }
        return records + [LineImportCSV.Record(line: recordLine, fields: fields, badEncoding: badEncoding)]
    }

    private var badEncoding = false

    private mutating func endField() {
        if let text = String(validating: field, as: UTF8.self) {
            fields.append(text)
        } else {
            fields.append(String(decoding: field, as: UTF8.self))
            badEncoding = true
        }
        field.removeAll(keepingCapacity: true)
        fieldStarted = false
    }
}
