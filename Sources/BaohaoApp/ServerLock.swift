import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One `baohao serve` per SQLite data directory: an exclusive `flock` on `serve.lock`, held for the
/// process's life (the kernel lets go when the process ends, however it ends). A second server on
/// the same directory is refused at start with a message saying so. CLI commands do not take it:
/// they may run beside the server, as SQLite allows.
public final class ServerLock: Sendable {
    let descriptor: Int32

    public init(dataDirectory: String) throws {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let path = (dataDirectory as NSString).appendingPathComponent("serve.lock")
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw AppConfigurationError("cannot open \(path): errno \(errno)") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw AppConfigurationError(
                "another baohao serve is using \(dataDirectory) (\(path) is locked); stop it first, or give this one its own --data-dir")
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { write(fd, $0, strlen($0)) }
        descriptor = fd
    }

    deinit { close(descriptor) }
}
