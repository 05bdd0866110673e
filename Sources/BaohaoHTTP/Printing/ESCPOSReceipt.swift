import BaohaoDomain
import Foundation

/// A receipt as ESC/POS bytes for a thermal printer (小票打印机): `ESC @` to reset, a centred
/// double-size title, the receipt's fields as label and value in 32 (58 mm paper) or 48 (80 mm)
/// columns, Chinese in GB18030, a feed and a cut. A reprint says 副本 / COPY and its number.
enum ESCPOSReceipt {
    /// Paper widths and their columns in the printer's standard font A (12×24 dots).
    static let columns = [58: 32, 80: 48]

    static func render(_ receipt: Receipt, print: ReceiptPrint, merchant: MerchantInfo, width: Int, language: Language) -> [UInt8] {
        let cols = columns[width] ?? 32
        var out = ESCPOSBuffer()
        out.initialize()
        out.align(.centre)
        out.size(double: true)
        out.line(language == .zh ? "充值凭证" : "RECEIPT")
        out.size(double: false)
        out.line(fitted(merchant.name, cols))
        if let counter = receipt.counter {
            out.line(fitted(counter.outletName, cols))
            if !counter.outletAddress.isEmpty { out.line(fitted(counter.outletAddress, cols)) }
        }
        if print.isCopy {
            out.bold(true)
            out.line(language == .zh ? "副本 COPY（第\(print.copyNumber)次打印）" : "COPY (print \(print.copyNumber))")
            out.bold(false)
        }
        if receipt.voidedAt != nil {
            out.bold(true)
            out.line(language == .zh ? "*** 已撤销 VOIDED ***" : "*** VOIDED ***")
            out.bold(false)
        }
        out.align(.left)
        out.line(String(repeating: "-", count: cols))
        for field in ReceiptPage.fields(receipt, merchant: merchant, language: language) {
            for line in labelled(language == .zh ? field.zh : field.en, field.value, cols) { out.line(line) }
        }
        out.line(String(repeating: "-", count: cols))
        out.align(.centre)
        out.line(language == .zh ? "本凭证不是税务发票" : "Not a tax invoice")
        out.line(language == .zh ? "请妥善保管，用于查询和退款" : "Keep it for queries and refunds")
        out.feed(lines: 4)
        out.cut()
        return out.bytes
    }

    /// Columns a string takes on the printer: two for a wide (CJK, full-width) character.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + (isWide($1) ? 2 : 1) }
    }

    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3040...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6:
            return true
        default: return false
        }
    }

    /// The label and its value on one line, the value flush right; on two when they do not fit
    /// (the value then right-aligned on its own lines, broken where it must be).
    static func labelled(_ label: String, _ value: String, _ cols: Int) -> [String] {
        let value = printable(value)
        let gap = cols - displayWidth(label) - displayWidth(value)
        if gap >= 1 { return [label + String(repeating: " ", count: gap) + value] }
        var lines = [fitted(label, cols)]
        for piece in broken(value, cols) {
            lines.append(String(repeating: " ", count: max(0, cols - displayWidth(piece))) + piece)
        }
        return lines
    }

    /// Text cut to `cols` columns.
    static func fitted(_ text: String, _ cols: Int) -> String { broken(printable(text), cols).first ?? "" }

    /// Text broken into pieces of at most `cols` columns.
    static func broken(_ text: String, _ cols: Int) -> [String] {
        var pieces: [String] = []
        var current = ""
        var width = 0
        for character in text {
            let w = displayWidth(String(character))
            if width + w > cols, !current.isEmpty {
                pieces.append(current)
                current = ""
                width = 0
            }
            current.append(character)
            width += w
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// What a GBK printer can show: `¥` (four bytes in GB18030, unknown to GBK-only printers) as
    /// the full-width `￥`, dashes as `-`, control characters dropped.
    static func printable(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.replacingOccurrences(of: "¥", with: "￥").replacingOccurrences(of: "—", with: "-")
                    .replacingOccurrences(of: "–", with: "-").unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
    }
}

/// ESC/POS commands, appended as bytes.
struct ESCPOSBuffer {
    enum Alignment: UInt8 {
        case left = 0
        case centre = 1
        case right = 2
    }

    private(set) var bytes: [UInt8] = []

    /// GB18030, as Foundation names it on every platform (kCFStringEncodingGB_18030_2000).
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    /// `ESC @`: reset the printer.
    mutating func initialize() { bytes += [0x1B, 0x40] }
    /// `ESC a n`.
    mutating func align(_ alignment: Alignment) { bytes += [0x1B, 0x61, alignment.rawValue] }
    /// `GS ! n`: double width and height, or normal.
    mutating func size(double: Bool) { bytes += [0x1D, 0x21, double ? 0x11 : 0x00] }
    /// `ESC E n`.
    mutating func bold(_ on: Bool) { bytes += [0x1B, 0x45, on ? 1 : 0] }
    /// `ESC d n`: print and feed n lines.
    mutating func feed(lines: UInt8) { bytes += [0x1B, 0x64, lines] }
    /// `GS V 1`: partial cut (one point left uncut, the common default).
    mutating func cut() { bytes += [0x1D, 0x56, 0x01] }

    /// Text in GB18030 and a line feed. Characters GB18030 cannot hold (none in practice: it
    /// covers Unicode) become `?`.
    mutating func line(_ text: String) {
        if let data = text.data(using: Self.gb18030) {
            bytes += Array(data)
        } else {
            bytes += Array(text.map { $0.isASCII ? $0 : "?" }.map(String.init).joined().utf8)
        }
        bytes.append(0x0A)
    }
}
