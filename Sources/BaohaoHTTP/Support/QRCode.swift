/// A QR code (ISO/IEC 18004) for short texts: byte mode, error correction level L, versions 1–6
/// (up to 134 bytes, enough for an `otpauth://` link), the mask with the lowest penalty. Drawn as
/// SVG for the two-factor enrolment page, so the secret never leaves the server as an image
/// request to anyone else.
struct QRCode {
    /// Dark modules, row by row.
    let modules: [[Bool]]
    var size: Int { modules.count }

    /// Data codewords per block, EC codewords per block and blocks, for versions 1–6 at level L.
    private static let layout: [(data: Int, ec: Int, blocks: Int)] = [
        (19, 7, 1), (34, 10, 1), (55, 15, 1), (80, 20, 1), (108, 26, 1), (68, 18, 2),
    ]
    /// The centre of the one alignment pattern, versions 2–6.
    private static let alignment = [0, 18, 22, 26, 30, 34]

    /// `nil` if `text` is longer than version 6 holds (134 bytes).
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard let version = Self.layout.indices.first(where: { Self.layout[$0].data * Self.layout[$0].blocks - 2 >= bytes.count }) else {
            return nil
        }
        let (dataPerBlock, ecPerBlock, blocks) = Self.layout[version]
        let codewords = Self.interleave(Self.dataCodewords(bytes, capacity: dataPerBlock * blocks), dataPerBlock, ecPerBlock, blocks)
        var grid = Grid(version: version + 1)
        grid.drawFunctionPatterns(alignment: Self.alignment[version])
        grid.place(codewords)
        var best: (penalty: Int, modules: [[Bool]])? = nil
        for mask in 0..<8 {
            var candidate = grid
            candidate.apply(mask: mask)
            candidate.drawFormat(mask: mask)
            let penalty = candidate.penalty()
            if best == nil || penalty < best!.penalty { best = (penalty, candidate.dark) }
        }
        modules = best!.modules
    }

    /// Mode, length, the bytes, terminator and padding, as codewords.
    private static func dataCodewords(_ bytes: [UInt8], capacity: Int) -> [UInt8] {
        var bits: [Bool] = []
        func append(_ value: Int, _ count: Int) {
            for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) }
        }
        append(0b0100, 4)
        append(bytes.count, 8)
        for byte in bytes { append(Int(byte), 8) }
        append(0, min(4, capacity * 8 - bits.count))
        while bits.count % 8 != 0 { bits.append(false) }
        var codewords = stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<start + 8].reduce(UInt8(0)) { ($0 << 1) | ($1 ? 1 : 0) }
        }
        var pad: UInt8 = 0xEC
        while codewords.count < capacity {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    /// Splits into blocks, adds each block's Reed–Solomon codewords, and interleaves.
    private static func interleave(_ data: [UInt8], _ dataPerBlock: Int, _ ecPerBlock: Int, _ blocks: Int) -> [UInt8] {
        let divisor = ReedSolomon.divisor(degree: ecPerBlock)
        let dataBlocks = (0..<blocks).map { Array(data[$0 * dataPerBlock..<($0 + 1) * dataPerBlock]) }
        let ecBlocks = dataBlocks.map { ReedSolomon.remainder($0, divisor) }
        var result: [UInt8] = []
        for i in 0..<dataPerBlock { for block in dataBlocks { result.append(block[i]) } }
        for i in 0..<ecPerBlock { for block in ecBlocks { result.append(block[i]) } }
        return result
    }

    /// The code as an SVG image, `scale` pixels a module, with the 4-module quiet zone; `label`
    /// names it for screen readers.
    func svg(scale: Int = 6, id: String = "qr", label: String) -> String {
        let side = (size + 8) * scale
        var path = ""
        for (y, row) in modules.enumerated() {
            for (x, dark) in row.enumerated() where dark { path += "M\((x + 4) * scale),\((y + 4) * scale)h\(scale)v\(scale)h-\(scale)z" }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" id="\(id)" width="\(side)" height="\(side)" viewBox="0 0 \(side) \(side)" role="img" aria-label="\(HTMLText.escape(label))" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path d="\(path)" fill="#000"/></svg>
            """
    }
}

/// The module grid while a code is drawn: which modules are dark and which belong to function
/// patterns (finders, timing, alignment, format), which data and masks leave alone.
private struct Grid {
    var dark: [[Bool]]
    var function: [[Bool]]
    var size: Int { dark.count }

    init(version: Int) {
        let size = 17 + 4 * version
        dark = Array(repeating: Array(repeating: false, count: size), count: size)
        function = dark
    }

    mutating func set(_ x: Int, _ y: Int, _ value: Bool) {
        dark[y][x] = value
        function[y][x] = true
    }

    mutating func drawFunctionPatterns(alignment: Int) {
        for i in 0..<size {
            set(6, i, i % 2 == 0)
            set(i, 6, i % 2 == 0)
        }
        for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4...4 {
                for dx in -4...4 {
                    let (x, y) = (cx + dx, cy + dy)
                    guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                    let distance = max(abs(dx), abs(dy))
                    set(x, y, distance != 2 && distance != 4)
                }
            }
        }
        if alignment > 0 {
            for dy in -2...2 { for dx in -2...2 { set(alignment + dx, alignment + dy, max(abs(dx), abs(dy)) != 1) } }
        }
        drawFormat(mask: 0)  // reserves the format areas; drawn again with the chosen mask
    }

    /// Level L (01) and the mask, BCH(15,5)-protected and XOR-ed with 101010000010010, in both places.
    mutating func drawFormat(mask: Int) {
        let data = (0b01 << 3) | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        let bits = ((data << 10) | remainder) ^ 0x5412
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        for i in 0...5 { set(8, i, bit(i)) }
        set(8, 7, bit(6))
        set(8, 8, bit(7))
        set(7, 8, bit(8))
        for i in 9..<15 { set(14 - i, 8, bit(i)) }
        for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
        for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
        set(8, size - 8, true)
    }

    /// Codeword bits in the zigzag order: two columns at a time from the right, up then down,
    /// skipping the vertical timing column.
    mutating func place(_ codewords: [UInt8]) {
        var index = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            for vertical in 0..<size {
                for column in 0..<2 {
                    let x = right - column
                    let upward = (right + 1) & 2 == 0
                    let y = upward ? size - 1 - vertical : vertical
                    guard !function[y][x], index < codewords.count * 8 else { continue }
                    dark[y][x] = (codewords[index >> 3] >> (7 - (index & 7))) & 1 == 1
                    index += 1
                }
            }
            right -= 2
        }
    }

    mutating func apply(mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !function[y][x] {
                let flip: Bool =
                    switch mask {
                    case 0: (x + y) % 2 == 0
                    case 1: y % 2 == 0
                    case 2: x % 3 == 0
                    case 3: (x + y) % 3 == 0
                    case 4: (x / 3 + y / 2) % 2 == 0
                    case 5: x * y % 2 + x * y % 3 == 0
                    case 6: (x * y % 2 + x * y % 3) % 2 == 0
                    default: ((x + y) % 2 + x * y % 3) % 2 == 0
                    }
                if flip { dark[y][x].toggle() }
            }
        }
    }

    /// The standard's penalty: runs of five or more, 2×2 blocks, finder-like patterns, and
    /// imbalance of dark and light.
    func penalty() -> Int {
        var score = 0
        let columns = (0..<size).map { x in (0..<size).map { dark[$0][x] } }
        for line in dark + columns {
            var run = 1
            for i in 1..<line.count {
                if line[i] == line[i - 1] {
                    run += 1
                    if run == 5 { score += 3 } else if run > 5 { score += 1 }
                } else {
                    run = 1
                }
            }
            let pattern: [Bool] = [true, false, true, true, true, false, true]
            for i in 0...(line.count - 7) where Array(line[i..<i + 7]) == pattern {
                let before = i >= 4 && !line[(i - 4)..<i].contains(true)
                let after = i + 11 <= line.count && !line[(i + 7)..<(i + 11)].contains(true)
                if before || after { score += 40 }
            }
        }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) where dark[y][x] == dark[y][x + 1] && dark[y][x] == dark[y + 1][x] && dark[y][x] == dark[y + 1][x + 1] {
                score += 3
            }
        }
        let total = size * size
        let darkCount = dark.reduce(0) { $0 + $1.filter { $0 }.count }
        score += (abs(darkCount * 20 - total * 10) + total - 1) / total * 10 - 10
        return score
    }
}

/// Reed–Solomon error correction over GF(2⁸) with the polynomial x⁸+x⁴+x³+x²+1 (0x11D).
private enum ReedSolomon {
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var product = 0
        for i in stride(from: 7, through: 0, by: -1) {
            product = (product << 1) ^ ((product >> 7) * 0x11D)
            product ^= Int((b >> UInt8(i)) & 1) * Int(a)
        }
        return UInt8(product)
    }

    /// The generator polynomial's coefficients (highest first, leading 1 left out).
    static func divisor(degree: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: degree)
        result[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                result[j] = multiply(result[j], root)
                if j + 1 < degree { result[j] ^= result[j + 1] }
            }
            root = multiply(root, 0x02)
        }
        return result
    }

    static func remainder(_ data: [UInt8], _ divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for i in result.indices { result[i] ^= multiply(divisor[i], factor) }
        }
        return result
    }
}
