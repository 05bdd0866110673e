import Foundation
import X509
import _CryptoExtras

/// UnionPay online payments (银联全渠道, ACP 5.1.0) settings: `BAOHAO_UNIONPAY_*`.
public struct UnionPayConfiguration: Sendable {
    /// `BAOHAO_UNIONPAY_MER_ID`: our 15-character merchant id.
    public let merchantID: String
    /// `BAOHAO_UNIONPAY_SIGN_KEY_FILE`: our signing private key as PEM (export it from the .pfx with
    /// `openssl pkcs12 -in acp.pfx -nocerts -nodes`).
    public let signingKey: _RSA.Signing.PrivateKey
    /// `BAOHAO_UNIONPAY_SIGN_CERT_ID`: the decimal serial number of our signing certificate.
    public let certID: String
    /// `BAOHAO_UNIONPAY_ROOT_CERT_FILE` and `BAOHAO_UNIONPAY_MIDDLE_CERT_FILE`: the chain every
    /// `signPubKeyCert` must lead to.
    public let rootCertificate: Certificate
    public let middleCertificate: Certificate
    /// `BAOHAO_UNIONPAY_SIGNER_NAME`: the organisation a signing certificate's CN must name;
    /// default `中国银联股份有限公司`.
    public let signerName: String
    /// `BAOHAO_UNIONPAY_GATEWAY`: default `https://gateway.95516.com`.
    public let gatewayURL: String
    /// Where payers are sent to open the front-end form (this server's `/pay/unionpay/{order}`).
    public let publicBaseURL: String

    public init(
        merchantID: String, signingKey: _RSA.Signing.PrivateKey, certID: String, rootCertificate: Certificate,
        middleCertificate: Certificate, signerName: String, gatewayURL: String, publicBaseURL: String
    ) {
        self.merchantID = merchantID
        self.signingKey = signingKey
        self.certID = certID
        self.rootCertificate = rootCertificate
        self.middleCertificate = middleCertificate
        self.signerName = signerName
        self.gatewayURL = gatewayURL
        self.publicBaseURL = publicBaseURL
    }

    /// Reads the settings; `nil` when UnionPay is not enabled.
    public static func load(_ environment: [String: String], publicBaseURL: String) throws -> UnionPayConfiguration? {
        let settings = ProviderSettings(environment: environment, prefix: "BAOHAO_UNIONPAY")
        guard settings.enabled else { return nil }
        let merchantID = try settings.string(
            "MER_ID", pattern: { $0.count == 15 && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } })
        let keyText = try settings.file("SIGN_KEY_FILE")
        let key = try settings.check("SIGN_KEY_FILE", "is not an RSA private key of 2048 bits or more") { try RSAKeys.privateKey(keyText) }
        let certID = try settings.string("SIGN_CERT_ID", pattern: { (1...64).contains($0.count) && $0.allSatisfy(\.isASCIIDigit) })
        let rootText = try settings.file("ROOT_CERT_FILE")
        let root = try settings.check("ROOT_CERT_FILE", "is not a PEM certificate") { try Certificate(pemEncoded: rootText) }
        let middleText = try settings.file("MIDDLE_CERT_FILE")
        let middle = try settings.check("MIDDLE_CERT_FILE", "is not a PEM certificate") { try Certificate(pemEncoded: middleText) }
        guard middle.issuer == root.subject, root.publicKey.isValidSignature(middle.signature, for: middle) else {
            throw ProviderConfigurationError("BAOHAO_UNIONPAY_MIDDLE_CERT_FILE", "is not signed by the root certificate")
        }
        return UnionPayConfiguration(
            merchantID: merchantID, signingKey: key, certID: certID, rootCertificate: root, middleCertificate: middle,
            signerName: try settings.string("SIGNER_NAME", default: "中国银联股份有限公司"),
            gatewayURL: try settings.url("GATEWAY", default: "https://gateway.95516.com"), publicBaseURL: publicBaseURL)
    }
}
