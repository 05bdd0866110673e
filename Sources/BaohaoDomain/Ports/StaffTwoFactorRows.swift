import Foundation

/// Staff second factors and recovery codes.
///
/// One of the narrow ports ``StoreSession`` is made of.
public protocol StaffTwoFactorRows: Sendable {
    func twoFactor(staffID: String) async throws -> StaffTwoFactor?
    /// Inserts or replaces the account's second factor.
    func saveTwoFactor(_ factor: StaffTwoFactor) async throws
    /// Removes the second factor and every recovery code of the account.
    func deleteTwoFactor(staffID: String) async throws
    /// Records `step` as used if it is later than the last one; `false` if it is not (a replay).
    func useTwoFactorStep(staffID: String, step: Int64) async throws -> Bool
    /// Replaces the account's recovery codes with these hashes.
    func replaceRecoveryCodes(staffID: String, hashes: [String], at: Date) async throws
    /// Marks an unused code used; `false` if there is no such unused code.
    func useRecoveryCode(staffID: String, hash: String, at: Date) async throws -> Bool
    func unusedRecoveryCodes(staffID: String) async throws -> Int
}
