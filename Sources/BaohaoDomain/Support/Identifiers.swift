import Foundation

/// A source of randomness, replaceable in tests.
public protocol RandomSource: Sendable {
    func next() -> UInt64
}

/// The system's cryptographically secure generator.
public struct SystemRandomSource: RandomSource {
    public init() {}
    public func next() -> UInt64 {
        var generator = SystemRandomNumberGenerator()
        return generator.next()
    }
}

/// Makes identifiers: time-ordered ids for records, and unguessable receipt numbers.
public struct IdentifierFactory: Sendable {
    static let crockford = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    let random: any RandomSource

    public init(random: any RandomSource = SystemRandomSource()) {
        self.random = random
    }

    /// `prefix_` + 26 Crockford base32 characters: 48 bits of milliseconds, then 80 random bits.
    /// Sorts by creation time; unguessable.
    public func make(_ prefix: String, at date: Date) -> String {
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var chars: [Character] = []
        chars.reserveCapacity(26)
        for shift in stride(from: 45, through: 0, by: -5) {
            chars.append(Self.crockford[Int((millis >> UInt64(shift)) & 31)])
        }
        var bits = random.next()
        var second = random.next()
        for index in 0..<16 {
            if index == 12 { bits = second; second = 0 }
            chars.append(Self.crockford[Int(bits & 31)])
            bits >>= 5
        }
        return prefix + "_" + String(chars)
    }

    /// A receipt number such as `BH-20261124-7K3M-Q9TX-W2`: the credit date, then 50 random bits in
    /// groups people can read over the phone. Unique by a database constraint; unguessable in sequence.
    public func receiptNumber(at date: Date, timeZone: TimeZone = Deadline.mainlandTimeZone) -> String {
        var bits = random.next()
        var body = ""
        for index in 0..<10 {
            if index == 4 || index == 8 { body.append("-") }
            body.append(Self.crockford[Int(bits & 31)])
            bits >>= 5
        }
        return "BH-" + LocalDate(date, in: timeZone).compact + "-" + body
    }
}
