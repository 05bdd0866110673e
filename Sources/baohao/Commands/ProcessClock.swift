import ArgumentParser
import BaohaoDomain
import Foundation

/// The clock every command of this process reads business time from.
///
/// It is the real time unless `BAOHAO_TEST_NOW` names an instant (RFC 3339): then the clock
/// reads that instant at the real time `BAOHAO_TEST_NOW_SET_AT` (Unix seconds; default: when the
/// process starts) and runs on at the real rate. Tests pin server and CLI processes to a chosen
/// day this way; with `BAOHAO_TEST_NOW_SET_AT` every process of a test shares one timeline. Because a wrong clock in production would charge
/// fees and reclaim numbers on the wrong day, the setting is refused unless
/// `BAOHAO_ALLOW_TEST_CLOCK=1` is set beside it, and a process that uses it says so on stderr.
enum ProcessClock {
    static let nowVariable = "BAOHAO_TEST_NOW"
    static let setAtVariable = "BAOHAO_TEST_NOW_SET_AT"
    static let allowVariable = "BAOHAO_ALLOW_TEST_CLOCK"

    /// The clock for `environment`, or a readable refusal.
    static func make(environment: [String: String], realNow: Date = Date()) throws(ArgumentParser.ValidationError) -> any WallClock {
        guard let text = environment[nowVariable], !text.isEmpty else { return SystemWallClock() }
        guard environment[allowVariable] == "1" else {
            throw ArgumentParser.ValidationError(
                "\(nowVariable) is set but \(allowVariable)=1 is not: the test clock is for tests only; unset \(nowVariable) to run on the real time"
            )
        }
        guard let start = Timestamp.parse(text) else {
            throw ArgumentParser.ValidationError("\(nowVariable) must be an RFC 3339 time, e.g. 2026-12-01T00:30:00+08:00")
        }
        var setAt = realNow
        if let text = environment[setAtVariable], !text.isEmpty {
            guard let seconds = Double(text), seconds.isFinite, seconds > 0 else {
                throw ArgumentParser.ValidationError("\(setAtVariable) must be Unix seconds, e.g. 1795500000.25")
            }
            setAt = Date(timeIntervalSince1970: seconds)
        }
        return OffsetWallClock(reading: start, atRealTime: setAt)
    }

    /// This process's clock, made once from its environment so every reader shares one offset.
    static func shared() throws(ArgumentParser.ValidationError) -> any WallClock {
        switch cached {
        case .success(let clock): return clock
        case .failure(let error): throw error
        }
    }

    private static let cached: Result<any WallClock, ArgumentParser.ValidationError> = {
        let environment = ProcessSettings.environment
        do throws(ArgumentParser.ValidationError) {
            let clock = try make(environment: environment)
            if let offset = clock as? OffsetWallClock {
                FileHandle.standardError.write(
                    Data(
                        "warning: TEST CLOCK in use (\(nowVariable)): it is \(Timestamp.format(offset.now())), not the real time\n"
                            .utf8))
            }
            return .success(clock)
        } catch {
            return .failure(error)
        }
    }()
}
