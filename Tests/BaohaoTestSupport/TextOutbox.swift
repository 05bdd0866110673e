import BaohaoDomain
import Foundation

/// A text-message sender that keeps what it was given, for tests that need the code a subscriber
/// would read on the phone.
public final class TextOutbox: TextMessageSender, @unchecked Sendable {
    private let lock = NSLock()
    private var texts: [(MSISDN, String)] = []

    public init() {}

    public func sendText(to msisdn: MSISDN, text: String) async throws { lock.withLock { texts.append((msisdn, text)) } }

    public var sent: [(MSISDN, String)] { lock.withLock { texts } }

    /// The six-digit code in the last text to `number` (E.164).
    public func code(for number: String) -> String? {
        guard let text = sent.last(where: { $0.0.e164 == number })?.1 else { return nil }
        return text.split(whereSeparator: { !$0.isNumber }).first(where: { $0.count == 6 }).map(String.init)
    }
}
