import Hummingbird
import NIOCore

/// The context of every request: Hummingbird's core plus the peer's address, which the sign-in
/// rate limits use (see ``ClientAddress``).
public struct BaohaoRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
