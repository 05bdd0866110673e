import BaohaoDomain
import BaohaoHTTP
import Logging
import ServiceLifecycle

/// Delivers partners' callbacks as a `Service`: a round whenever a callback is queued (the
/// ``CallbackSignal``), and at least every 2 seconds for retries that fall due; a failed round is
/// logged and the next one comes on time. Graceful shutdown ends the wait at once.
struct CallbackDeliverer: Service {
    let callbacks: PartnerCallbackService
    let signal: CallbackSignal
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let round = try await callbacks.deliverDue()
                if round.failed + round.abandoned > 0 {
                    logger.info(
                        "partner callbacks run",
                        metadata: ["delivered": "\(round.delivered)", "failed": "\(round.failed)", "abandoned": "\(round.abandoned)"])
                }
            } catch {
                logger.warning("partner callbacks run failed", metadata: ["error": "\(String(describing: type(of: error)))"])
            }
            await cancelWhenGracefulShutdown { await signal.wait(timeout: .seconds(2)) }
        }
    }
}
