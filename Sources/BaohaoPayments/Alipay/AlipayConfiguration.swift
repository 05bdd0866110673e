import Foundation
import _CryptoExtras

/// Alipay (支付宝) open-platform settings: `BAOHAO_ALIPAY_*`.
public struct AlipayConfiguration: Sendable {
    /// `BAOHAO_ALIPAY_APP_ID`: the app id notifications must carry.
    public let appID: String
    /// `BAOHAO_ALIPAY_SELLER_ID`: the merchant PID (2088…); when set, notifications must carry it.
    public let sellerID: String?
    /// `BAOHAO_ALIPAY_PRIVATE_KEY_FILE`: our application private key (RSA2), PEM or Alipay's bare base64.
    public let privateKey: _RSA.Signing.PrivateKey
    /// `BAOHAO_ALIPAY_PUBLIC_KEY_FILE`: Alipay's public key, which signs notifications and responses.
    public let alipayPublicKey: _RSA.Signing.PublicKey
    /// `BAOHAO_ALIPAY_GATEWAY`: default `https://openapi.alipay.com/gateway.do`.
    public let gatewayURL: String
    /// `BAOHAO_ALIPAY_PRODUCT`: `wap` (mobile browsers, the default) or `page` (desktop).
    public let product: Product

    public enum Product: String, Sendable {
        case wap
        case page

        var method: String { self == .wap ? "alipay.trade.wap.pay" : "alipay.trade.page.pay" }
        var productCode: String { self == .wap ? "QUICK_WAP_WAY" : "FAST_INSTANT_TRADE_PAY" }
    }

    public init(
        appID: String, sellerID: String?, privateKey: _RSA.Signing.PrivateKey, alipayPublicKey: _RSA.Signing.PublicKey,
        gatewayURL: String, product: Product
    ) {
        self.appID = appID
        self.sellerID = sellerID
        self.privateKey = privateKey
        self.alipayPublicKey = alipayPublicKey
        self.gatewayURL = gatewayURL
        self.product = product
    }

    /// Reads the settings; `nil` when Alipay is not enabled.
    public static func load(_ environment: [String: String]) throws -> AlipayConfiguration? {
        let settings = ProviderSettings(environment: environment, prefix: "BAOHAO_ALIPAY")
        guard settings.enabled else { return nil }
        let appID = try settings.string("APP_ID", pattern: { $0.count <= 32 && $0.allSatisfy(\.isASCIIDigit) })
        let sellerID = try environment["BAOHAO_ALIPAY_SELLER_ID"].flatMap { $0.isEmpty ? nil : $0 }.map { text in
            guard text.count == 16, text.hasPrefix("2088"), text.allSatisfy(\.isASCIIDigit) else {
                throw ProviderConfigurationError("BAOHAO_ALIPAY_SELLER_ID", "must be the 16-digit PID starting 2088")
            }
            return text
        }
        let privateText = try settings.file("PRIVATE_KEY_FILE")
        let privateKey = try settings.check("PRIVATE_KEY_FILE", "is not an RSA private key of 2048 bits or more") {
            try RSAKeys.privateKey(privateText)
        }
        let publicText = try settings.file("PUBLIC_KEY_FILE")
        let publicKey = try settings.check("PUBLIC_KEY_FILE", "is not an RSA public key of 2048 bits or more") {
            try RSAKeys.publicKey(publicText)
        }
        let gateway = try settings.url("GATEWAY", default: "https://openapi.alipay.com/gateway.do")
        guard let product = Product(rawValue: try settings.string("PRODUCT", default: "wap")) else {
            throw ProviderConfigurationError("BAOHAO_ALIPAY_PRODUCT", "must be wap or page")
        }
        return AlipayConfiguration(
            appID: appID, sellerID: sellerID, privateKey: privateKey, alipayPublicKey: publicKey, gatewayURL: gateway, product: product)
    }
}
