import Testing

@testable import BaohaoDomain

/// 归属地: the shipped table answers as libphonenumber's geocoder does (PyPI `phonenumbers`
/// 9.0.43 gave the expected provinces below), and a bad table is refused.
@Suite("Home provinces")
struct HomeProvincesTests {
    @Test(
        "the shipped table names the province of listed blocks and nothing for others",
        arguments: [
            ("13800138000", Province?.some(.beijing)), ("13912345678", .jiangsu), ("18620001234", .guangdong),
            ("13312345678", .guizhou), ("15012345678", .yunnan),
            // 192 (China Broadnet) and 170 (MVNO) blocks have no province in the data.
            ("19212345678", nil), ("17012345678", nil),
        ])
    func shipped(number: String, expected: Province?) throws {
        #expect(HomeProvinces.shipped.province(of: try MSISDN(parsing: number)) == expected)
    }

    @Test("the shipped table is whole: thousands of ranges covering all 31 provinces")
    func whole() {
        let table = HomeProvinces.shipped
        #expect(table.ranges.count > 8_000)
        #expect(Set(table.ranges.map(\.province)).count == Province.allCases.count)
    }

    @Test("a lookup finds the range's first and last block and nothing between ranges")
    func bounds() throws {
        let table = try HomeProvinces.parse("# comment\n1380000 1380009 11\n1380020 1380029 44\n")
        #expect(table.province(of: try MSISDN(parsing: "13800001234")) == .beijing)
        #expect(table.province(of: try MSISDN(parsing: "13800091234")) == .beijing)
        #expect(table.province(of: try MSISDN(parsing: "13800101234")) == nil)
        #expect(table.province(of: try MSISDN(parsing: "13800291234")) == .guangdong)
        #expect(table.province(of: try MSISDN(parsing: "13800301234")) == nil)
        #expect(table.province(of: try MSISDN(parsing: "+85291234567")) == nil)
    }

    @Test("a table out of order, overlapping or naming an unknown code is refused")
    func refused() {
        #expect(throws: HomeProvincesError.self) { try HomeProvinces.parse("1380020 1380029 44\n1380000 1380009 11\n") }
        #expect(throws: HomeProvincesError.self) { try HomeProvinces.parse("1380000 1380009 11\n1380009 1380019 44\n") }
        #expect(throws: HomeProvincesError.self) { try HomeProvinces.parse("1380000 1380009 99\n") }
        #expect(throws: HomeProvincesError.self) { try HomeProvinces.parse("1380009 1380000 11\n") }
    }
}
