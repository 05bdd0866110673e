/// Text bound for a spreadsheet (CSV exports, tab-separated CLI listings) made safe against
/// formula injection, as OWASP advises: a cell that starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return gets a leading `'`, so it is shown, not run.
public enum SpreadsheetText {
    public static func safe(_ text: String) -> String {
        guard let first = text.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return text }
        return "'" + text
    }

    /// A CSV field: made safe, then quoted when it holds a comma, a quote or a line break.
    public static func csvField(_ text: String) -> String {
        let value = safe(text)
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
