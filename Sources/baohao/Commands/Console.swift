import Foundation

/// Prints a line to standard output at once (not buffered), so a supervisor or a test reading
/// the server's output sees it immediately.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
