import Foundation

/// Where mainland mobile numbers were issued (归属地), by their first seven digits: shown beside a
/// typed number so that a typo that lands in another province is caught before paying.
///
/// The table (`Resources/numbering/mobile-provinces.txt`) is made from libphonenumber's geocoding
/// data by `scripts/numbering/make-provinces.py`. It is a hint, like ``MobileOperator``: a block
/// it does not list has no known province.
public struct HomeProvinces: Sendable {
    /// Sorted, non-overlapping blocks: first and last 7-digit block, and the province.
    let ranges: [(first: Int32, last: Int32, province: Province)]

    init(ranges: [(first: Int32, last: Int32, province: Province)]) {
        self.ranges = ranges
    }

    /// The province of a mainland mobile number, or `nil` when it is not one or is not listed.
    public func province(of number: MSISDN) -> Province? {
        guard number.isMainland else { return nil }
        let digits = number.nationalDigits
        guard digits.count == 11, let block = Int32(digits.prefix(7)) else { return nil }
        var (low, high) = (0, ranges.count)
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].last < block { low = middle + 1 } else { high = middle }
        }
        guard low < ranges.count, ranges[low].first <= block else { return nil }
        return ranges[low].province
    }

    /// The province of `number` by name in `language`, or 未知 / Unknown: the 归属地 people are shown.
    public func provinceName(of number: MSISDN, _ language: Language) -> String {
        Province.name(province(of: number), language)
    }

    /// Reads the table text: `first last code` per line, `#` comments. Lines out of order or
    /// naming an unknown code are a packaging fault and stop the read.
    static func parse(_ text: String) throws -> HomeProvinces {
        var ranges: [(first: Int32, last: Int32, province: Province)] = []
        for (index, line) in text.split(separator: "\n").enumerated() where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            guard fields.count == 3, let first = Int32(fields[0]), let last = Int32(fields[1]), first <= last,
                let code = Int(fields[2]), let province = Province(rawValue: code),
                ranges.last.map({ $0.last < first }) ?? true
            else { throw HomeProvincesError(line: index + 1) }
            ranges.append((first, last, province))
        }
        return HomeProvinces(ranges: ranges)
    }

    /// The table shipped with Baohao, read once.
    public static let shipped: HomeProvinces = {
        guard let url = Bundle.module.url(forResource: "numbering", withExtension: nil)?.appendingPathComponent("mobile-provinces.txt"),
            let text = try? String(contentsOf: url, encoding: .utf8), let table = try? parse(text)
        else { return HomeProvinces(ranges: []) }
        return table
    }()
}

/// The shipped province table has a bad line.
struct HomeProvincesError: Error {
    let line: Int
}
