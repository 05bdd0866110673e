extension Substring {
    /// Without leading and trailing spaces and tabs, the whitespace HTTP allows around a header
    /// parameter. Signature headers are parsed on every notification; Foundation's
    /// `trimmingCharacters(in: .whitespaces)` was 3 % of a sandbox notification's CPU.
    var trimmingHeaderWhitespace: Substring {
        var trimmed = self
        while let first = trimmed.first, first == " " || first == "\t" { trimmed.removeFirst() }
        while let last = trimmed.last, last == " " || last == "\t" { trimmed.removeLast() }
        return trimmed
    }
}
