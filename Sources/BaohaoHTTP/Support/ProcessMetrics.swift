import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The standard Prometheus process series, read from `/proc` at each scrape (Linux):
/// `process_cpu_seconds_total`, `process_resident_memory_bytes`, `process_virtual_memory_bytes`,
/// `process_open_fds`, `process_max_fds`, `process_start_time_seconds`. Elsewhere nothing.
enum ProcessMetrics {
    static func emit(into buffer: inout [UInt8]) {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return }
        // Fields after the command name (which may hold spaces), from field 3 (state) on.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 21, let user = Double(fields[11]), let system = Double(fields[12]),
            let startTicks = Double(fields[19]), let virtual = Double(fields[20]), let residentPages = Double(fields[21])
        else { return }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let page = Double(sysconf(Int32(_SC_PAGESIZE)))
        var lines: [String] = []
        func series(_ name: String, _ type: String, _ help: String, _ value: Double) {
            lines += ["# HELP \(name) \(help)", "# TYPE \(name) \(type)", "\(name) \(value)"]
        }
        series("process_cpu_seconds_total", "counter", "User and system CPU time spent, in seconds.", (user + system) / ticks)
        series("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", residentPages * page)
        series("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", virtual)
        if let open = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            series("process_open_fds", "gauge", "Open file descriptors.", Double(open.count))
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            series("process_max_fds", "gauge", "Most file descriptors the process may open.", Double(limit.rlim_cur))
        }
        if let boot = bootTime() {
            series(
                "process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch, in seconds.",
                boot + startTicks / ticks)
        }
        buffer += Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// `btime` from `/proc/stat`: when the machine booted, in Unix seconds.
    static func bootTime() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}
