import BaohaoDomain
import Foundation

extension InMemorySession {
    func twoFactor(staffID: String) async throws -> StaffTwoFactor? {
        look { $0.staffTwoFactor[staffID] }
    }

    func saveTwoFactor(_ factor: StaffTwoFactor) async throws {
        try mutate { $0.staffTwoFactor[factor.staffID] = factor }
    }

    func deleteTwoFactor(staffID: String) async throws {
        try mutate { t in
            t.staffTwoFactor[staffID] = nil
            t.recoveryCodes[staffID] = nil
        }
    }

    func useTwoFactorStep(staffID: String, step: Int64) async throws -> Bool {
        try mutate { t in
            guard let factor = t.staffTwoFactor[staffID], factor.lastStep < step else { return false }
            t.staffTwoFactor[staffID]?.lastStep = step
            return true
        }
    }

    func replaceRecoveryCodes(staffID: String, hashes: [String], at: Date) async throws {
        try mutate { t in t.recoveryCodes[staffID] = Dictionary(uniqueKeysWithValues: hashes.map { ($0, nil) }) }
    }

    func useRecoveryCode(staffID: String, hash: String, at: Date) async throws -> Bool {
        try mutate { t in
            guard let entry = t.recoveryCodes[staffID]?[hash], entry == nil else { return false }
            t.recoveryCodes[staffID]?[hash] = .some(at)
            return true
        }
    }

    func unusedRecoveryCodes(staffID: String) async throws -> Int {
        look { t in (t.recoveryCodes[staffID] ?? [:]).values.filter { $0 == nil }.count }
    }
}
