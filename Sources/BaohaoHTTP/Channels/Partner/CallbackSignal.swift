import BaohaoDomain
import Foundation

/// Wakes the partner callback deliverer when a callback was queued, so it goes out at once rather
/// than on the deliverer's next round. Signals while it is busy are folded into one.
public final class CallbackSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var pending = false
    private var waiter: (id: Int, continuation: CheckedContinuation<Void, Never>)?
    private var nextID = 0

    public init() {}

    public func notify() {
        let waiting: CheckedContinuation<Void, Never>? = lock.withLock {
            guard let waiter else {
                pending = true
                return nil
            }
            self.waiter = nil
            return waiter.continuation
        }
        waiting?.resume()
    }

    /// Returns at the next signal (or one given since the last wait), or after `timeout`. One
    /// waiter at a time (the deliverer).
    public func wait(timeout: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let id: Int? = lock.withLock {
                if pending {
                    pending = false
                    return nil
                }
                nextID += 1
                waiter = (nextID, continuation)
                return nextID
            }
            guard let id else { return continuation.resume() }
            Task { [weak self] in
                try? await Task.sleep(for: timeout)
                self?.expire(id)
            }
        }
    }

    private func expire(_ id: Int) {
        let waiting: CheckedContinuation<Void, Never>? = lock.withLock {
            guard let waiter, waiter.id == id else { return nil }
            self.waiter = nil
            return waiter.continuation
        }
        waiting?.resume()
    }
}

/// The transport when none is configured: every callback fails (and is retried on the schedule).
public struct UnreachableCallbackTransport: CallbackTransport {
    public init() {}
    public func post(url: String, headers: [(String, String)], body: Data) async -> CallbackAnswer { .failed("no HTTP client") }
}

extension PartnerSecretBox {
    /// A box with a random key for this process only: for tests and tools that never reopen what
    /// another process sealed.
    public static func ephemeral() -> PartnerSecretBox {
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = generator.next() }
        return try! PartnerSecretBox(keyMaterial: Data(bytes))
    }
}
