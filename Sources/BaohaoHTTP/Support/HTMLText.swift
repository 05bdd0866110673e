/// Text placed into HTML built outside a Mustache template (which escapes by itself).
enum HTMLText {
    /// `&`, `<`, `>` and `"` escaped: safe in element content and in double-quoted attributes.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
            of: ">", with: "&gt;"
        )
        .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
