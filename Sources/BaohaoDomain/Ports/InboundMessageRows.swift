import Foundation

/// Inbound text messages already answered, by the gateway's message id, so that a gateway's
/// retry of one message gets the first answer and acts once.
///
/// One of the narrow ports ``StoreSession`` is made of.
public protocol InboundMessageRows: Sendable {
    /// The answer given to the message with this id, and when, if it was handled.
    func inboundMessage(messageID: String) async throws -> (reply: String, at: Date)?
    /// Keeps the answer; `false` if the id was recorded first by another request.
    func recordInbound(messageID: String, reply: String, at: Date) async throws -> Bool
}
