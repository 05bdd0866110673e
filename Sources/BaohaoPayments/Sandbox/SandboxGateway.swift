import BaohaoDomain
import Foundation
import Logging

/// The provider side of the sandbox: when the payer approves or declines on the sandbox page, it
/// sends the signed notification to Baohao's notify URL like a real provider would — later, and
/// again until Baohao answers 2xx, with backoff and a bounded number of attempts.
public actor SandboxGateway {
    let provider: SandboxProvider
    let transport: any NotificationTransport
    let notifyURL: String
    let logger: Logger
    let clock: any WallClock
    /// Delay before the first attempt and between retries: 1 s, then doubling.
    let initialDelay: Duration
    /// Attempts per notification before the sandbox gives up (a real provider retries for a day).
    public static let maximumAttempts = 8
    private var inFlight: [Int: Task<Void, Never>] = [:]
    private var nextTaskID = 0

    public init(
        provider: SandboxProvider, transport: any NotificationTransport, notifyURL: String, initialDelay: Duration = .milliseconds(200),
        clock: any WallClock, logger: Logger
    ) {
        self.clock = clock
        self.provider = provider
        self.transport = transport
        self.notifyURL = notifyURL
        self.initialDelay = initialDelay
        self.logger = logger
    }

    /// How the sandbox delivers a notification, to show what real providers do.
    public enum Delivery: String, Sendable, CaseIterable {
        /// Once, shortly after the decision.
        case normal
        /// Three copies at once, as providers sometimes do.
        case duplicated
        /// Once, 10 seconds late.
        case late

        var copies: Int { self == .duplicated ? 3 : 1 }
        var extraDelay: Duration { self == .late ? .seconds(10) : .zero }
    }

    /// Records the payer's decision and schedules the notification. Returns the provider transaction id.
    @discardableResult
    public func decide(orderID: String, total: Money, approve: Bool, delivery: Delivery = .normal, at date: Date) -> String {
        let transactionID = provider.transactionID(orderID: orderID)
        let notification = SandboxNotification(
            eventID: "evt_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""), orderID: orderID,
            providerTransactionID: transactionID, status: approve ? "succeeded" : "failed", amount: total,
            paidAt: Timestamp.format(date))
        for _ in 0..<delivery.copies { schedule(notification, extraDelay: delivery.extraDelay) }
        return transactionID
    }

    /// Cancels every pending delivery.
    public func shutdown() {
        for task in inFlight.values { task.cancel() }
        inFlight.removeAll()
    }

    /// How many deliveries are still being attempted.
    public var pendingDeliveries: Int { inFlight.count }

    private func schedule(_ notification: SandboxNotification, extraDelay: Duration) {
        let id = nextTaskID
        nextTaskID += 1
        let body = notification.encoded()
        inFlight[id] = Task { [provider, transport, notifyURL, logger, initialDelay, clock] in
            var delay = initialDelay
            if extraDelay > .zero { try? await Task.sleep(for: extraDelay) }
            for attempt in 1...Self.maximumAttempts {
                do { try await Task.sleep(for: delay) } catch { break }
                let headers = ["Content-Type": "application/json", "Baohao-Signature": provider.sign(body, at: clock.now())]
                do {
                    let status = try await transport.post(url: notifyURL, body: body, headers: headers)
                    if (200..<300).contains(status) { break }
                    logger.warning(
                        "sandbox notification refused",
                        metadata: ["order_id": "\(notification.orderID)", "status": "\(status)", "attempt": "\(attempt)"])
                    if (400..<500).contains(status) { break }
                } catch {
                    logger.warning(
                        "sandbox notification not delivered", metadata: ["order_id": "\(notification.orderID)", "attempt": "\(attempt)"])
                }
                delay = delay * 2
            }
            await self.finished(id)
        }
    }

    private func finished(_ id: Int) {
        inFlight[id] = nil
    }
}
