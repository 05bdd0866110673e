import BaohaoDomain
import Logging

extension Reconciler {
    /// Writes the reconciler's notes to `logger`, with errors described safely (no URLs with
    /// secrets, no bodies).
    public static func log(to logger: Logger) -> @Sendable (Note) -> Void {
        { note in
            switch note {
            case .recovered(let orderID):
                logger.notice("reconciler credited a payment whose notification was lost", metadata: ["order_id": "\(orderID)"])
            case .mismatch(let orderID, let reason):
                logger.error(
                    "provider reports a payment that does not match the order", metadata: ["order_id": "\(orderID)", "reason": "\(reason)"])
            case .askFailed(let provider, let orderID, let error):
                logger.warning(
                    "reconciler could not ask the provider",
                    metadata: ["provider": "\(provider)", "order_id": "\(orderID)", "error": "\(describe(error))"])
            }
        }
    }

    /// A short description safe for logs.
    static func describe(_ error: any Error) -> String {
        if let call = error as? ProviderCallError { return "\(call)" }
        return String(describing: type(of: error))
    }
}
