import Foundation
import _CryptoExtras

/// WeChat Pay (微信支付) API v3 settings: `BAOHAO_WECHATPAY_*`.
public struct WeChatPayConfiguration: Sendable {
    /// `BAOHAO_WECHATPAY_MCHID`: our merchant id.
    public let merchantID: String
    /// `BAOHAO_WECHATPAY_APPID`: the app (公众号 / 小程序 / app) the payments belong to.
    public let appID: String
    /// `BAOHAO_WECHATPAY_MERCHANT_SERIAL`: the serial number of our API certificate.
    public let merchantSerial: String
    /// `BAOHAO_WECHATPAY_PRIVATE_KEY_FILE`: our API private key (apiclient_key.pem).
    public let privateKey: _RSA.Signing.PrivateKey
    /// `BAOHAO_WECHATPAY_PLATFORM_PUBLIC_KEY_FILE`: WeChat Pay's platform public key.
    public let platformPublicKey: _RSA.Signing.PublicKey
    /// `BAOHAO_WECHATPAY_PLATFORM_KEY_ID`: what `Wechatpay-Serial` must say (the platform
    /// certificate serial, or the public key id `PUB_KEY_ID_…`).
    public let platformKeyID: String
    /// `BAOHAO_WECHATPAY_APIV3_KEY_FILE`: the 32-byte APIv3 key that encrypts notification resources.
    public let apiV3Key: [UInt8]
    /// `BAOHAO_WECHATPAY_BASE_URL`: default `https://api.mch.weixin.qq.com`.
    public let baseURL: String
    /// `BAOHAO_WECHATPAY_H5`: offer H5 payment (`/v3/pay/transactions/h5`) to phone browsers,
    /// default on. Turn it off when the merchant account has not been granted H5; a payment WeChat
    /// refuses with `NO_AUTH` falls back to a QR code either way.
    public let h5Enabled: Bool

    public init(
        merchantID: String, appID: String, merchantSerial: String, privateKey: _RSA.Signing.PrivateKey,
        platformPublicKey: _RSA.Signing.PublicKey, platformKeyID: String, apiV3Key: [UInt8], baseURL: String,
        h5Enabled: Bool = true
    ) {
        precondition(apiV3Key.count == 32)
        self.merchantID = merchantID
        self.appID = appID
        self.merchantSerial = merchantSerial
        self.privateKey = privateKey
        self.platformPublicKey = platformPublicKey
        self.platformKeyID = platformKeyID
        self.apiV3Key = apiV3Key
        self.baseURL = baseURL
        self.h5Enabled = h5Enabled
    }

    /// Reads the settings; `nil` when WeChat Pay is not enabled.
    public static func load(_ environment: [String: String]) throws -> WeChatPayConfiguration? {
        let settings = ProviderSettings(environment: environment, prefix: "BAOHAO_WECHATPAY")
        guard settings.enabled else { return nil }
        let merchantID = try settings.string("MCHID", pattern: { (1...32).contains($0.count) && $0.allSatisfy(\.isASCIIDigit) })
        let appID = try settings.string(
            "APPID", pattern: { (1...32).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } })
        let serial = try settings.string("MERCHANT_SERIAL", pattern: { (1...64).contains($0.count) && $0.allSatisfy(\.isHexDigit) })
        let privateText = try settings.file("PRIVATE_KEY_FILE")
        let privateKey = try settings.check("PRIVATE_KEY_FILE", "is not an RSA private key of 2048 bits or more") {
            try RSAKeys.privateKey(privateText)
        }
        let publicText = try settings.file("PLATFORM_PUBLIC_KEY_FILE")
        let publicKey = try settings.check("PLATFORM_PUBLIC_KEY_FILE", "is not an RSA public key of 2048 bits or more") {
            try RSAKeys.publicKey(publicText)
        }
        let keyID = try settings.string(
            "PLATFORM_KEY_ID", pattern: { (1...80).contains($0.count) && $0.allSatisfy { $0.isASCII && !$0.isWhitespace } })
        let apiKey = Array(try settings.file("APIV3_KEY_FILE").trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        guard apiKey.count == 32 else { throw ProviderConfigurationError("BAOHAO_WECHATPAY_APIV3_KEY_FILE", "must hold exactly 32 bytes") }
        return WeChatPayConfiguration(
            merchantID: merchantID, appID: appID, merchantSerial: serial, privateKey: privateKey, platformPublicKey: publicKey,
            platformKeyID: keyID, apiV3Key: apiKey, baseURL: try settings.url("BASE_URL", default: "https://api.mch.weixin.qq.com"),
            h5Enabled: try settings.flag("H5", default: true))
    }
}
