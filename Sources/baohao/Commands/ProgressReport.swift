import BaohaoDomain
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Progress of long work on standard error: on a terminal, a bar redrawn in place with the rate
/// and the time left; otherwise (a log, a pipe) a plain line every few seconds. ``finish(_:)``
/// ends it with a summary line. Standard output keeps only the command's result.
final class ProgressReport: @unchecked Sendable {
    let label: String
    let unit: String
    private(set) var total: Int?
    private let lock = NSLock()
    private let started = ContinuousClock.now
    private var lastDrawn: ContinuousClock.Instant? = nil
    private var done = 0
    private var step: String? = nil
    private var stepsBegun = 0
    private let terminal: Bool
    private let write: @Sendable (String) -> Void
    /// How often a line is written when standard error is not a terminal.
    let plainInterval: Duration

    init(
        label: String, unit: String, total: Int? = nil, terminal: Bool = isatty(STDERR_FILENO) == 1,
        plainInterval: Duration = .seconds(5),
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) {
        self.label = label
        self.unit = unit
        self.total = total
        self.terminal = terminal
        self.plainInterval = plainInterval
        self.write = write
    }

    /// Sets the amount of work when it becomes known.
    func setTotal(_ total: Int) {
        lock.withLock { self.total = total }
    }

    /// Records that `count` units are done in all, and draws if it is time to.
    func update(done count: Int, step: String? = nil) {
        lock.withLock {
            done = count
            if let step { self.step = step }
            let now = ContinuousClock.now
            let due = terminal ? .milliseconds(100) : plainInterval
            if let last = lastDrawn, now - last < due { return }
            lastDrawn = now
            write(terminal ? "\r\u{1B}[2K" + line(now: now) : line(now: now) + "\n")
        }
    }

    /// Starts the next step of work counted in steps (``total`` of them): the steps before it
    /// are done.
    func begin(step: String) {
        let finished = lock.withLock {
            defer { stepsBegun += 1 }
            return stepsBegun
        }
        update(done: finished, step: step)
    }

    /// Ends the report with `summary` and the time taken.
    func finish(_ summary: String) {
        lock.withLock {
            let elapsed = ContinuousClock.now - started
            write((terminal ? "\r\u{1B}[2K" : "") + "\(label): \(summary) in \(Self.seconds(elapsed))\n")
        }
    }

    /// `jobs run: [#########-----------] 45% 45,000/100,000 lines, 12,345/s, 4 s left`.
    func line(now: ContinuousClock.Instant) -> String {
        let elapsed = (now - started).totalSeconds
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var text = "\(label): "
        if let total, total > 0 {
            let fraction = min(1, Double(done) / Double(total))
            let width = 20
            let filled = Int(fraction * Double(width))
            text += "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
            text += "\(Int(fraction * 100))% \(done.grouped)/\(total.grouped) \(unit)"
            if rate > 0 && done < total {
                text += ", \(Int(rate).grouped)/s, \(Self.seconds(.seconds(Double(total - done) / rate))) left"
            }
        } else {
            text += "\(done.grouped) \(unit)"
            if rate > 0 { text += ", \(Int(rate).grouped)/s" }
        }
        if let step { text += " · \(step)" }
        return text
    }

    static func seconds(_ duration: Duration) -> String {
        let value = duration.totalSeconds
        return value < 10 ? String(format: "%.1f s", value) : "\(Int(value.rounded())) s"
    }
}
