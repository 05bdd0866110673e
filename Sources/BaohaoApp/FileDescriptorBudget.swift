import BaohaoHTTP
import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The file descriptors `serve` needs, checked against the process's limit at start: client
/// connections plus a reserve for the database, data and log files, outgoing HTTP and listeners.
/// Running out mid-flight means `accept` fails and nobody, not even `/healthz`, is answered.
enum FileDescriptorBudget {
    /// Descriptors kept for everything but client connections.
    static func reserve(databaseConnections: Int) -> Int { 128 + 2 * databaseConnections }

    /// Raises the soft limit as far as the connections need (never past the hard limit) and answers
    /// how many connections fit. An explicit `BAOHAO_MAX_CONNECTIONS` that does not fit refuses the
    /// start; the default shrinks to what fits, with a warning.
    static func fit(connections wanted: Int, explicit: Bool, reserve: Int, logger: Logger) throws -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return wanted }
        let needed = rlim_t(wanted + reserve)
        if limit.rlim_cur < needed {
            var raised = limit
            raised.rlim_cur = min(needed, limit.rlim_max)
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        let available = Int(min(limit.rlim_cur, rlim_t(Int32.max))) - reserve
        if available >= wanted { return wanted }
        if explicit || available < 16 {
            throw AppConfigurationError(
                "BAOHAO_MAX_CONNECTIONS=\(wanted) needs \(wanted + reserve) file descriptors, but this process may open only "
                    + "\(limit.rlim_cur) (ulimit -n; hard limit \(limit.rlim_max)): raise the limit or lower BAOHAO_MAX_CONNECTIONS")
        }
        logger.warning(
            "fewer connections than the default fit the file-descriptor limit",
            metadata: ["connections": "\(available)", "limit": "\(limit.rlim_cur)", "hint": "raise ulimit -n"])
        return available
    }
}
