import NIOCore

/// The deadline one connection is under now, moved on as its requests progress: idle until a
/// request's first byte, then its header, then its body, then none while it is answered, then idle
/// again. When a deadline passes, the connection is closed.
///
/// Shared by ``RequestStartHandler`` (raw bytes, first in the pipeline) and
/// ``RequestProgressHandler`` (request and answer parts); both run on the connection's event loop.
final class ConnectionDeadlines {
    /// What the connection is waiting for.
    enum Phase: String {
        case idle
        case header
        case body
        case answering
    }

    private(set) var phase: Phase = .idle
    private var timer: Scheduled<Void>?
    private let limits: ConnectionLimits
    private let admission: ConnectionAdmission

    init(limits: ConnectionLimits, admission: ConnectionAdmission) {
        self.limits = limits
        self.admission = admission
    }

    /// Moves to `phase` and arms its deadline, replacing the one before.
    func enter(_ phase: Phase, context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        self.phase = phase
        let timeout: TimeAmount? =
            switch phase {
            case .idle: limits.idleTimeout
            case .header: limits.headerTimeout
            case .body: limits.bodyTimeout
            case .answering: nil
            }
        guard let timeout else { return }
        let channel = context.channel
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
            guard let self, self.phase == phase else { return }
            self.timer = nil
            self.admission.closed(phase)
            channel.close(promise: nil)
        }
    }

    func stop() {
        timer?.cancel()
        timer = nil
    }
}

/// First in a connection's pipeline: a request's first byte ends the idle wait and starts the
/// header deadline.
final class RequestStartHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let deadlines: ConnectionDeadlines

    init(deadlines: ConnectionDeadlines) {
        self.deadlines = deadlines
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { deadlines.enter(.idle, context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadlines.stop()
    }

    func channelActive(context: ChannelHandlerContext) {
        deadlines.enter(.idle, context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadlines.stop()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if deadlines.phase == .idle { deadlines.enter(.header, context: context) }
        context.fireChannelRead(data)
    }
}
