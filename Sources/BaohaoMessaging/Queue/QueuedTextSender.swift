import BaohaoDomain
import Logging
import Prometheus

/// Sign-in codes sent from a queue, after the answer: the page that asks for a code answers at
/// once, the same way for every number, whether the SMS gateway is slow or failing and whether
/// the number is ours (a code for a number that is not ours is never sent). Sending inline let
/// a caller tell our numbers from others by the answer's time (410 ms against 3–30 ms) or by a
/// 503 that only our numbers got.
///
/// At most `capacity` codes wait; beyond it a code is dropped and logged (the payer asks again).
/// Failures are logged with the gateway's reason and the masked number, never the text.
public final class QueuedTextSender: TextMessageSender {
    private let continuation: AsyncStream<(MSISDN, String)>.Continuation
    private let worker: Task<Void, Never>
    private let logger: Logger
    private let registry: PrometheusCollectorRegistry?

    public init(_ inner: any TextMessageSender, capacity: Int = 1_000, logger: Logger, registry: PrometheusCollectorRegistry? = nil) {
        let (stream, continuation) = AsyncStream<(MSISDN, String)>.makeStream(bufferingPolicy: .bufferingOldest(capacity))
        self.continuation = continuation
        self.logger = logger
        self.registry = registry
        self.worker = Task {
            for await (msisdn, text) in stream {
                do {
                    try await inner.sendText(to: msisdn, text: text)
                    registry?.makeCounter(
                        descriptor: MetricNameDescriptor(
                            metricName: "baohao_sms_codes_total", unitName: "", helpText: "Sign-in codes sent by SMS, by outcome"),
                        labels: [("outcome", "sent")]
                    ).increment()
                } catch {
                    let reason = (error as? ReminderSendError)?.detail ?? String(describing: type(of: error))
                    logger.warning("sign-in code not sent", metadata: ["to": "\(msisdn.masked)", "reason": "\(reason)"])
                    registry?.makeCounter(
                        descriptor: MetricNameDescriptor(
                            metricName: "baohao_sms_codes_total", unitName: "", helpText: "Sign-in codes sent by SMS, by outcome"),
                        labels: [("outcome", "failed")]
                    ).increment()
                }
            }
        }
    }

    /// Queues the text and returns at once.
    public func sendText(to msisdn: MSISDN, text: String) async throws {
        if case .dropped = continuation.yield((msisdn, text)) {
            logger.warning("sign-in code dropped: the queue is full", metadata: ["to": "\(msisdn.masked)"])
            registry?.makeCounter(
                descriptor: MetricNameDescriptor(
                    metricName: "baohao_sms_codes_total", unitName: "", helpText: "Sign-in codes sent by SMS, by outcome"),
                labels: [("outcome", "dropped")]
            ).increment()
        }
    }

    /// Stops taking codes and waits for the queued ones to be tried.
    public func shutdown() async {
        continuation.finish()
        await worker.value
    }
}
