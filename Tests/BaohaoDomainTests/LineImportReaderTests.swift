import Foundation
import Testing

@testable import BaohaoDomain

/// The streamed CSV reader: the same rows as the in-memory parser whatever the chunk sizes, line
/// numbers that count the file's lines, and row errors for what cannot be read.
@Suite("Line import reader")
struct LineImportReaderTests {
    static let text = """
        \u{FEFF}msisdn,plan,holder_name,opening_balance\r
        13800138000,KEEP5,张三,5.00\r
        13900139000,KEEP5,"李,四",\r

        18612345678,KEEP5,"王""五""
        续行",-3
        13700137000,KEEP5,赵六,1x
        13600136000,KEEP5,孙七
        """

    /// Reads `bytes` in chunks of `size`, returning every batch.
    static func batches(_ bytes: [UInt8], chunk size: Int, batchSize: Int = 2) throws -> [LineImportBatch] {
        var offset = 0
        let reader = LineImportCSVReader(batchSize: batchSize) {
            guard offset < bytes.count else { return nil }
            defer { offset += size }
            return Array(bytes[offset..<min(offset + size, bytes.count)])
        }
        var all: [LineImportBatch] = []
        while let batch = try reader.nextBatch() { all.append(batch) }
        return all
    }

    @Test("every chunk size gives the rows and errors the whole-file parser gives", arguments: [1, 2, 3, 7, 64, 4096])
    func chunks(size: Int) throws {
        let whole = LineImportCSV.parse(Self.text)
        let batches = try Self.batches(Array(Self.text.utf8), chunk: size)
        let rows = batches.flatMap(\.rows)
        #expect(rows.map(\.row) == whole.rows.map(\.row))
        #expect(rows.map(\.line) == whole.rows.map(\.line))
        #expect(batches.flatMap(\.errors) == whole.errors)
        #expect(rows.map(\.row) == [2, 3, 5])
        #expect(rows[1].line.holderName == "李,四" && rows[1].line.openingBalance == .zero(.cny))
        #expect(rows[2].line.holderName == "王\"五\"\n续行" && rows[2].line.openingBalance.amountMinor == -300)
        #expect(whole.errors.map(\.row) == [7, 8])
    }

    @Test("bytes that are not UTF-8 make their row an error, not a mangled name")
    func badEncoding() throws {
        var bytes = Array("msisdn,plan,holder_name,opening_balance\n13800138000,KEEP5,".utf8)
        bytes += [0xE5, 0xBC]  // half a character
        bytes += Array(",1\n13900139000,KEEP5,李四,2\n".utf8)
        let batches = try Self.batches(bytes, chunk: 5)
        #expect(batches.flatMap(\.rows).map(\.row) == [3])
        #expect(batches.flatMap(\.errors).map(\.row) == [2])
        #expect(batches.flatMap(\.errors).first?.message.contains("UTF-8") == true)
    }

    @Test("a missing column or an empty file is one error and no rows")
    func header() throws {
        let missing = try Self.batches(Array("msisdn,plan\n13800138000,KEEP5\n".utf8), chunk: 8)
        #expect(missing.flatMap(\.rows).isEmpty)
        #expect(missing.flatMap(\.errors).map(\.field) == ["header"])
        let empty = try Self.batches([], chunk: 8)
        #expect(empty.flatMap(\.errors).map(\.message) == ["empty file / 文件为空"])
    }
}
