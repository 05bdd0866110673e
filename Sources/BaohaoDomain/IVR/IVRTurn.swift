import Foundation

/// One thing the hotline says: a prompt, digits read one by one, an amount, or a date.
public enum IVRUtterance: Sendable, Hashable, Codable {
    case prompt(IVRPrompt)
    /// Read digit by digit (a number read back).
    case digits(String)
    /// Spelt character by character: letters and digits (the end of a receipt number).
    case characters(String)
    /// An amount: yuan, then fen if any.
    case money(Money)
    case date(LocalDate)

    /// The utterance as text in `language`, for a voice platform's text-to-speech.
    public func text(_ language: Language) -> String {
        switch self {
        case .prompt(let prompt):
            return prompt.text(language)
        case .digits(let text), .characters(let text):
            return text.map(String.init).joined(separator: " ")
        case .money(let money):
            let yuan = money.amountMinor / 100
            let fen = money.amountMinor % 100
            let space = language == .zh ? "" : " "
            var parts: [String] = []
            if yuan != 0 || fen == 0 { parts.append("\(yuan)\(space)\(IVRPrompt.yuan.text(language))") }
            if fen != 0 { parts.append("\(fen)\(space)\(IVRPrompt.fen.text(language))") }
            return parts.joined(separator: space)
        case .date(let date):
            let (year, month, day) = date.components
            if language == .zh { return "\(year)年\(month)月\(day)日" }
            return "\(day) \(Self.englishMonths[month - 1]) \(year)"
        }
    }

    static let englishMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ]
}

/// What the caller is asked for after the hotline has spoken.
public enum IVRNext: Sendable, Hashable, Codable {
    /// Collect keys: at most `maxDigits`, `#` ends early when `hashEnds`, `timeoutSeconds` of silence
    /// ends the wait.
    case gather(maxDigits: Int, hashEnds: Bool, timeoutSeconds: Int)
    /// A voice platform's payment connector takes the card (TwiML `<Pay>`) for the order's total.
    case pay(orderID: String, total: Money, description: String)
    /// The call is over.
    case hangUp
}

/// The hotline's answer to one event of a call: what to say, in which language, and what comes next.
public struct IVRTurn: Sendable, Hashable, Codable {
    public let language: Language
    public let utterances: [IVRUtterance]
    public let next: IVRNext
    /// Whether the keys gathered next are card data (never logged, never kept).
    public let sensitive: Bool

    public init(language: Language, utterances: [IVRUtterance], next: IVRNext, sensitive: Bool = false) {
        self.language = language
        self.utterances = utterances
        self.next = next
        self.sensitive = sensitive
    }
}

/// What a front end reports from the caller.
public enum IVRInput: Sendable, Hashable {
    /// Keys pressed, without the ending `#`; may be `*` (back one step).
    case digits(String)
    /// No key before the timeout.
    case noInput
    /// The voice platform's payment connector finished (TwiML `<Pay>` action).
    case connectorPayment(ConnectorPaymentResult)
    /// The caller hung up.
    case hangUp
}

/// What a voice platform's payment connector reported: never the card, at most its last four digits.
public enum ConnectorPaymentResult: Sendable, Hashable {
    /// Charged; `reference` is the connector's confirmation code (the provider's charge id).
    case approved(reference: String, cardLast4: String?)
    /// Not charged, and why (`payment-connector-error`, `too-many-failed-attempts`, a decline code…).
    case declined(reason: String)
}
