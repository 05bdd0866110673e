import NIOCore
import NIOHTTPTypes

/// After the HTTP codec: a complete header starts the body deadline, a complete body stops the
/// clock while the answer is made, and the end of the answer starts the idle wait.
final class RequestProgressHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let deadlines: ConnectionDeadlines

    init(deadlines: ConnectionDeadlines) {
        self.deadlines = deadlines
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: deadlines.enter(.body, context: context)
        case .body: break
        case .end: deadlines.enter(.answering, context: context)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), deadlines.phase == .answering { deadlines.enter(.idle, context: context) }
        context.write(data, promise: promise)
    }
}
