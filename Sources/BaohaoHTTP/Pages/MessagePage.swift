import BaohaoDomain
import Mustache

/// A short page that tells the reader one thing (not found, refused, done).
enum MessagePage {
    static let template = try! MustacheTemplate(
        string: """
            <h1>{{title}}</h1>
            <div class="card"><p>{{message}}</p></div>
            """)

    static func render(title: String, message: String, language: Language) -> String {
        PageLayout.render(title: title, content: template.render(["title": title, "message": message]), language: language)
    }
}
