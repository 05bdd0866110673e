import BaohaoDomain
import Hummingbird
import NIOCore

/// The context of every request: Hummingbird's core plus the peer's address, which the sign-in
/// rate limits use (see ``ClientAddress``), and who is acting once a middleware authenticated them.
public struct BaohaoRequestContext: RequestContext, RemoteAddressRequestContext, BrowserSessionContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    public var actor: String?
    public var staff: StaffAccount?
    public var subscriber: SubscriberSession?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
