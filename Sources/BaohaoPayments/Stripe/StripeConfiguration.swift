import Foundation

/// Stripe settings for international cards: `BAOHAO_STRIPE_*`.
public struct StripeConfiguration: Sendable {
    /// `BAOHAO_STRIPE_SECRET_KEY_FILE`: the API secret key (`sk_live_…`, `sk_test_…` or a restricted `rk_…`).
    public let secretKey: String
    /// `BAOHAO_STRIPE_WEBHOOK_SECRET_FILE`: the endpoint's signing secret (`whsec_…`).
    public let webhookSecret: String
    /// `BAOHAO_STRIPE_BASE_URL`: default `https://api.stripe.com`.
    public let baseURL: String
    /// `BAOHAO_STRIPE_TOLERANCE_SECONDS`: how old a signed event may be; default 300.
    public let toleranceSeconds: Int

    public init(secretKey: String, webhookSecret: String, baseURL: String, toleranceSeconds: Int = 300) {
        self.secretKey = secretKey
        self.webhookSecret = webhookSecret
        self.baseURL = baseURL
        self.toleranceSeconds = toleranceSeconds
    }

    /// Reads the settings; `nil` when Stripe is not enabled.
    public static func load(_ environment: [String: String]) throws -> StripeConfiguration? {
        let settings = ProviderSettings(environment: environment, prefix: "BAOHAO_STRIPE")
        guard settings.enabled else { return nil }
        let secret = try settings.file("SECRET_KEY_FILE").trimmingCharacters(in: .whitespacesAndNewlines)
        guard ["sk_", "rk_"].contains(where: secret.hasPrefix), (16...256).contains(secret.count) else {
            throw ProviderConfigurationError("BAOHAO_STRIPE_SECRET_KEY_FILE", "must hold a secret key starting sk_ or rk_")
        }
        let webhook = try settings.file("WEBHOOK_SECRET_FILE").trimmingCharacters(in: .whitespacesAndNewlines)
        guard webhook.hasPrefix("whsec_"), (16...256).contains(webhook.count) else {
            throw ProviderConfigurationError("BAOHAO_STRIPE_WEBHOOK_SECRET_FILE", "must hold a signing secret starting whsec_")
        }
        guard let tolerance = Int(try settings.string("TOLERANCE_SECONDS", default: "300")), (30...3600).contains(tolerance) else {
            throw ProviderConfigurationError("BAOHAO_STRIPE_TOLERANCE_SECONDS", "must be 30–3600")
        }
        return StripeConfiguration(
            secretKey: secret, webhookSecret: webhook, baseURL: try settings.url("BASE_URL", default: "https://api.stripe.com"),
            toleranceSeconds: tolerance)
    }
}
