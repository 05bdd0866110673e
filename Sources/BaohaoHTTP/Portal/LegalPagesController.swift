import BaohaoDomain
import Foundation
import Hummingbird

/// `/privacy` (隐私政策) and `/terms` (用户协议): the operator's own texts when configured, else the
/// shipped ones, which describe what Baohao itself stores, with the operator's name and support
/// line filled in. Linked from every page's footer and agreed to before an SMS code is sent.
struct LegalPagesController<Context: RequestContext> {
    /// Title and body HTML per document and language, read and converted once, at start-up.
    let pages: [String: (title: String, html: String)]

    init(merchant: MerchantInfo) {
        var pages: [String: (title: String, html: String)] = [:]
        for document in [Document.privacy, .terms] {
            for language in [Language.zh, .en] {
                let own = document == .privacy ? merchant.privacyPolicy : merchant.userAgreement
                let text =
                    own.map { language == .zh ? $0.zh : $0.en }
                    ?? Self.shipped(document, language)
                    .replacingOccurrences(of: "{{operator}}", with: merchant.legalName)
                    .replacingOccurrences(of: "{{support}}", with: merchant.supportLine)
                let title = text.split(separator: "\n").first.map { String($0.drop { $0 == "#" || $0 == " " }) } ?? document.rawValue
                pages[Self.key(document, language)] = (title, LegalText.html(text))
            }
        }
        self.pages = pages
    }

    func addRoutes(to router: Router<Context>) {
        router.get("/privacy") { request, _ in self.page(.privacy, request.language) }
        router.get("/terms") { request, _ in self.page(.terms, request.language) }
    }

    enum Document: String {
        case privacy
        case terms
    }

    static func key(_ document: Document, _ language: Language) -> String { "\(document.rawValue).\(language == .zh ? "zh" : "en")" }

    func page(_ document: Document, _ language: Language) -> HTMLResponse {
        let page = pages[Self.key(document, language)]!
        return HTMLResponse(
            html: PageLayout.render(
                title: page.title, content: "<div class=\"card legal\" id=\"legal\">\(page.html)</div>", language: language))
    }

    /// The shipped text (`Resources/legal/<document>.<zh|en>.txt`).
    static func shipped(_ document: Document, _ language: Language) -> String {
        guard let url = Bundle.module.url(forResource: key(document, language), withExtension: "txt", subdirectory: "legal"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return "# \(document.rawValue)" }
        return text
    }
}

extension LegalText {
    /// Plain text as HTML: `# ` a heading, `## ` a subheading, `- ` list items, other lines
    /// paragraphs; everything escaped.
    static func html(_ text: String) -> String {
        var html = ""
        var inList = false
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if inList, !line.hasPrefix("- ") {
                html += "</ul>\n"
                inList = false
            }
            if line.hasPrefix("## ") {
                html += "<h2>\(HTMLText.escape(String(line.dropFirst(3))))</h2>\n"
            } else if line.hasPrefix("# ") {
                html += "<h1>\(HTMLText.escape(String(line.dropFirst(2))))</h1>\n"
            } else if line.hasPrefix("- ") {
                if !inList { html += "<ul>\n" }
                inList = true
                html += "<li>\(HTMLText.escape(String(line.dropFirst(2))))</li>\n"
            } else if !line.isEmpty {
                html += "<p>\(HTMLText.escape(line))</p>\n"
            }
        }
        return html + (inList ? "</ul>\n" : "")
    }

}
