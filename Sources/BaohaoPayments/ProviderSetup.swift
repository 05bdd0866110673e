import BaohaoDomain
import Foundation

/// Builds the enabled real providers from `BAOHAO_<PROVIDER>_*` settings. An enabled provider with
/// a missing or wrong setting is an error naming that setting, so the server refuses to start.
public enum ProviderSetup {
    public static func providers(
        environment: [String: String], publicBaseURL: String, http: any ProviderHTTPClient = AsyncHTTPProviderClient(),
        clock: any WallClock
    ) throws -> [any PaymentProvider] {
        var providers: [any PaymentProvider] = []
        if let alipay = try AlipayConfiguration.load(environment) {
            providers.append(AlipayProvider(configuration: alipay, http: http, clock: clock))
        }
        if let wechat = try WeChatPayConfiguration.load(environment) {
            providers.append(WeChatPayProvider(configuration: wechat, http: http, clock: clock))
        }
        if let unionPay = try UnionPayConfiguration.load(environment, publicBaseURL: publicBaseURL) {
            providers.append(UnionPayProvider(configuration: unionPay, http: http, clock: clock))
        }
        if let stripe = try StripeConfiguration.load(environment) {
            providers.append(StripeProvider(configuration: stripe, http: http, clock: clock))
        }
        return providers
    }
}
