import BaohaoDomain
import BaohaoPayments
import Foundation

/// The shipped retention policies plus `BAOHAO_POLICY_DIR`'s files; a bad file stops the start, named.
public func loadPolicyBook(_ environment: [String: String]) throws(AppConfigurationError) -> PolicyBook {
    do {
        return try PolicyBook.standard(
            extraDirectory: environment["BAOHAO_POLICY_DIR"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) })
    } catch let error as PolicyLoadError {
        throw AppConfigurationError("policy file refused: \(error)")
    } catch {
        throw AppConfigurationError("policy files could not be read: \(error)")
    }
}

/// The real payment providers `BAOHAO_<PROVIDER>_*` enables; a wrong setting stops the start, named.
public func loadPaymentProviders(
    _ environment: [String: String], publicBaseURL: String, clock: any WallClock
) throws(AppConfigurationError) -> [any PaymentProvider] {
    do {
        return try ProviderSetup.providers(environment: environment, publicBaseURL: publicBaseURL, clock: clock)
    } catch let error as ProviderConfigurationError {
        throw AppConfigurationError("payment provider misconfigured: \(error)")
    } catch {
        throw AppConfigurationError("payment providers could not be set up: \(error)")
    }
}
