import ArgumentParser
import BaohaoTelephony
import Foundation

/// `baohao ivr`: the hotline's files for Asterisk.
struct IVR: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ivr", abstract: "The IVR hotline's prompts for Asterisk.", subcommands: [Prompts.self])

    struct Prompts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Synthesize every prompt (Chinese and English) as 8 kHz WAV files with espeak-ng: DIR/zh/*.wav, DIR/en/*.wav.")

        @Option(help: "Folder to write, e.g. /var/lib/asterisk/sounds/baohao.") var out: String

        func run() async throws {
            do {
                let files = try PromptSynthesizer().write(to: URL(fileURLWithPath: out, isDirectory: true))
                print(
                    "wrote \(files.count) prompt files under \(out) (8 kHz, 16-bit mono WAV); dialplan: AGI(agi://127.0.0.1:4573/recharge)")
            } catch let error as PromptSynthesisError {
                throw ValidationError(error.description)
            }
        }
    }
}
