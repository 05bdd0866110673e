import BaohaoDomain
import Foundation

/// Makes the hotline's prompt files for Asterisk from ``IVRPrompt``'s table with espeak-ng:
/// `DIR/zh/<name>.wav` and `DIR/en/<name>.wav`, 8 kHz 16-bit mono, for `STREAM FILE` and
/// `GET DATA` (`baohao/zh/welcome` once `DIR` is Asterisk's `sounds/baohao`). A synthetic voice
/// makes a demo work out of the box; an operator replaces the files with recordings of the same texts.
public struct PromptSynthesizer: Sendable {
    /// The espeak-ng program.
    public let espeak: String

    public init(espeak: String = "espeak-ng") {
        self.espeak = espeak
    }

    /// espeak-ng's voice for a language.
    static func voice(_ language: Language) -> String { language == .zh ? "cmn" : "en-us" }

    /// Writes every prompt in both languages under `directory`; returns the files written.
    public func write(to directory: URL) throws -> [URL] {
        var written: [URL] = []
        for language in Language.allCases {
            let folder = directory.appendingPathComponent(language.rawValue, isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for prompt in IVRPrompt.allCases {
                let audio = try synthesize(prompt.text(language), language: language).resampled(to: 8_000)
                let file = folder.appendingPathComponent("\(prompt.rawValue).wav")
                try audio.wave.write(to: file, options: .atomic)
                written.append(file)
            }
        }
        return written
    }

    /// One text spoken by espeak-ng, as it wrote it (22.05 kHz).
    func synthesize(_ text: String, language: Language) throws -> WAVAudio {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [espeak, "-v", Self.voice(language), "-s", language == .zh ? "150" : "160", "--stdout", text]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { throw PromptSynthesisError.espeakMissing(espeak) }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw process.terminationStatus == 127
                ? PromptSynthesisError.espeakMissing(espeak) : PromptSynthesisError.espeakFailed(process.terminationStatus)
        }
        do { return try WAVAudio(wave: data) } catch { throw PromptSynthesisError.unreadableOutput }
    }
}

/// Why prompts could not be made; the message says what to do.
public enum PromptSynthesisError: Error, CustomStringConvertible, Sendable {
    case espeakMissing(String)
    case espeakFailed(Int32)
    case unreadableOutput

    public var description: String {
        switch self {
        case .espeakMissing(let program): return "\(program) is not installed (Debian: apt-get install espeak-ng)"
        case .espeakFailed(let status): return "espeak-ng failed (exit \(status))"
        case .unreadableOutput: return "espeak-ng's output is not 16-bit mono WAVE audio"
        }
    }
}
