import BaohaoDomain
import Testing

@Suite("Line import CSV")
struct LineImportCSVTests {
    @Test func parsesRowsWithLineNumbers() {
        let text =
            "\u{FEFF}msisdn,plan,holder_name,opening_balance\r\n13800138000,KEEP5,张三,12.50\n\n\"+86 186 1234 5678\",KEEP5,\"Li, Si\",\n"
        let parsed = LineImportCSV.parse(text)
        #expect(parsed.errors.isEmpty)
        #expect(parsed.rows.map(\.row) == [2, 4])
        #expect(parsed.rows[0].line.openingBalance == Money(1250, .cny))
        #expect(parsed.rows[1].line.holderName == "Li, Si")
        #expect(parsed.rows[1].line.openingBalance == .zero(.cny))
    }

    @Test func reportsBadRows() {
        let parsed = LineImportCSV.parse("msisdn,plan,holder_name,opening_balance\n13800138000,KEEP5,A,1.234\n13800138001,KEEP5\n")
        #expect(parsed.errors.map(\.row) == [2, 3])
        #expect(parsed.errors[0].field == "opening_balance")
    }

    @Test func missingColumns() {
        let parsed = LineImportCSV.parse("msisdn,plan\n13800138000,KEEP5\n")
        #expect(parsed.errors.first?.field == "header")
        #expect(parsed.rows.isEmpty)
    }

    @Test(
        "amounts",
        arguments: [
            ("12.5", 1250 as Int64?), ("12.50", 1250), ("-3", -300), ("", 0), ("1.", nil), ("1.234", nil), ("abc", nil), ("1e3", nil),
        ])
    func amounts(_ text: String, _ minor: Int64?) {
        #expect(LineImportCSV.parseMajorAmount(text, currency: .cny)?.amountMinor == minor)
    }
}
