/// Where the payer pays from, as far as a provider needs to know to choose its way of paying:
/// WeChat Pay offers H5 payment to a phone's browser and must be told the payer's IP address;
/// a computer scans a QR code with the phone instead.
///
/// Only sent to the provider with the payment request; never stored.
public struct PayerDevice: Sendable, Hashable {
    /// What kind of browser the payer is using.
    public enum Kind: Sendable, Hashable {
        /// A desktop or laptop browser: pay by scanning a QR code with a phone.
        case computer
        /// A phone's own browser (not inside WeChat): the provider's page can open its app.
        case phoneBrowser
        /// WeChat's in-app browser, where WeChat refuses H5 payment.
        case weChatBrowser
    }

    public let kind: Kind
    /// The payer's public IP address, as the server saw it through any trusted proxy.
    public let ipAddress: String?

    public init(kind: Kind, ipAddress: String?) {
        self.kind = kind
        self.ipAddress = ipAddress
    }

    /// Tells the kind from a browser's `User-Agent`.
    public static func kind(userAgent: String?) -> Kind {
        guard let agent = userAgent else { return .computer }
        if agent.contains("MicroMessenger") { return .weChatBrowser }
        let phoneMarks = ["iPhone", "Android", "Mobile", "HarmonyOS", "iPod"]
        return phoneMarks.contains(where: agent.contains) ? .phoneBrowser : .computer
    }
}
