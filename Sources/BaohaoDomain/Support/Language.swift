/// The language of user-facing text: Simplified Chinese first, English available.
public enum Language: String, Sendable, Codable, CaseIterable {
    case zh
    case en

    /// Picks a language from an HTTP `Accept-Language` value or a `lang` parameter; Chinese by default.
    public static func negotiate(_ header: String?) -> Language {
        guard let header, !header.isEmpty else { return .zh }
        var best: (Language, Double)? = nil
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingSpaces() }
            guard let tag = pieces.first?.lowercased() else { continue }
            var quality = 1.0
            for piece in pieces.dropFirst() where piece.hasPrefix("q=") {
                quality = Double(piece.dropFirst(2)) ?? 0
            }
            let language: Language? = tag.hasPrefix("zh") ? .zh : (tag.hasPrefix("en") ? .en : nil)
            if let language, quality > (best?.1 ?? -1) { best = (language, quality) }
        }
        return best?.0 ?? .zh
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        String(self.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
