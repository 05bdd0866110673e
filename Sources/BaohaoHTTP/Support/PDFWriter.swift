import Foundation

/// A one-page PDF 1.4 of positioned text lines and rules, for receipts.
///
/// No font file is embedded, so the file stays a few kilobytes: ASCII runs are set in Helvetica
/// (one of the standard 14 fonts), everything else in the Adobe standard CJK font STSong-Light
/// with the `UniGB-UCS2-H` encoding, which readers provide or substitute (PDF 1.4 §5.9). Only
/// characters that Adobe-GB1 covers can be shown; ``PDFWriter/printable(_:)`` maps the usual
/// exceptions.
struct PDFWriter {
    /// Page size in points (A5 portrait by default).
    let width: Double
    let height: Double
    private var operations: [String] = []

    init(width: Double = 420, height: Double = 595) {
        self.width = width
        self.height = height
    }

    /// Text at (`x`, `y`) from the bottom-left corner, `size` points high.
    mutating func text(_ string: String, x: Double, y: Double, size: Double) {
        var operation = "BT \(Self.number(x)) \(Self.number(y)) Td"
        for run in Self.runs(Self.printable(string)) {
            if run.ascii {
                operation += " /F2 \(Self.number(size)) Tf \(Self.literal(run.text)) Tj"
            } else {
                let hex = run.text.utf16.map { String(format: "%04X", $0) }.joined()
                operation += " /F1 \(Self.number(size)) Tf <\(hex)> Tj"
            }
        }
        operations.append(operation + " ET")
    }

    /// `string` cut into runs of ASCII and of everything else.
    static func runs(_ string: String) -> [(ascii: Bool, text: String)] {
        var runs: [(ascii: Bool, text: String)] = []
        for scalar in string.unicodeScalars {
            let ascii = scalar.isASCII
            if let last = runs.last, last.ascii == ascii {
                runs[runs.count - 1].text.unicodeScalars.append(scalar)
            } else {
                runs.append((ascii, String(Character(scalar))))
            }
        }
        return runs
    }

    /// Helvetica's advance widths (thousandths of an em) for ASCII 32…126, from its AFM file.
    static let helveticaWidths: [Int] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556,
        556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778,
        722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222,
        500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
    ]

    /// A horizontal rule.
    mutating func rule(fromX: Double, toX: Double, y: Double, width lineWidth: Double = 0.5) {
        operations.append("\(Self.number(lineWidth)) w \(Self.number(fromX)) \(Self.number(y)) m \(Self.number(toX)) \(Self.number(y)) l S")
    }

    /// The width of `string` at `size` points: ASCII by Helvetica's widths, the rest one em each.
    static func measure(_ string: String, size: Double) -> Double {
        printable(string).unicodeScalars.reduce(0.0) { total, scalar in
            let v = Int(scalar.value)
            return total + ((32...126).contains(v) ? Double(helveticaWidths[v - 32]) / 1000 : 1.0)
        } * size
    }

    /// Replaces characters outside Adobe-GB1's Unicode map with equivalents it has (¥ → ￥).
    static func printable(_ string: String) -> String {
        String(
            string.unicodeScalars.map { scalar -> Character in
                switch scalar.value {
                case 0xA5: return "￥"
                case 0x2013: return "-"
                case 0x00..<0x20, 0xD800...0xDFFF, 0x10000...: return "?"
                default: return Character(scalar)
                }
            })
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }

    static func literal(_ text: String) -> String {
        "("
            + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(").replacingOccurrences(
                of: ")", with: "\\)")
            + ")"
    }

    /// The finished file. `title` goes into the document information (ASCII only).
    func document(title: String, created: Date) -> [UInt8] {
        let content = operations.joined(separator: "\n")
        let stamp: String = {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyyMMddHHmmss"
            return "D:" + formatter.string(from: created) + "Z"
        }()
        let asciiTitle = String(title.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 }.map(Character.init))
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(Self.number(width)) \(Self.number(height))] "
                + "/Resources << /Font << /F1 5 0 R /F2 9 0 R >> >> /Contents 4 0 R >>",
            "<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream",
            "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>",
            "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
                + "/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 /W [1 95 500] >>",
            "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 "
                + "/Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
            "<< /Title \(Self.literal(asciiTitle)) /Producer (Baohao) /CreationDate (\(stamp)) >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        ]
        var out = Array("%PDF-1.4\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            offsets.append(out.count)
            out += Array("\(index + 1) 0 obj\n\(body)\nendobj\n".utf8)
        }
        let xref = out.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += String(format: "%010d 00000 n \n", offset) }
        table += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R /Info 8 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        out += Array(table.utf8)
        return out
    }
}
