import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 channel with ``ConnectionLimits`` in front: a connection over a cap is
/// closed as soon as it is accepted, and every admitted one is under a deadline from its first
/// byte to the end of its last answer.
struct GuardedHTTP1Channel: HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value

    let responder: HTTPChannelHandler.Responder
    let admission: ConnectionAdmission

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let address = channel.remoteAddress?.ipAddress
        if let refusal = admission.admit(address) {
            logger.debug("connection refused", metadata: ["reason": "\(refusal.rawValue)"])
            return channel.close().flatMapThrowing { throw ChannelError.ioOnClosedChannel }
        }
        let admission = self.admission
        channel.closeFuture.whenComplete { _ in admission.release(address) }
        let deadlines = NIOLoopBound(ConnectionDeadlines(limits: admission.limits, admission: admission), eventLoop: channel.eventLoop)
        do {
            try channel.pipeline.syncOperations.addHandler(RequestStartHandler(deadlines: deadlines.value), position: .first)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        let inner = HTTP1Channel(
            responder: responder,
            configuration: .init(additionalChannelHandlers: [RequestProgressHandler(deadlines: deadlines.value)]))
        return inner.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 behind ``ConnectionLimits``.
    public static func guardedHTTP1(_ admission: ConnectionAdmission) -> HTTPServerBuilder {
        .init { responder in GuardedHTTP1Channel(responder: responder, admission: admission) }
    }
}
