import Foundation
import Testing

@testable import BaohaoTelephony

/// The FastAGI reply parser against a table of the lines res_agi.c writes. The same table is run
/// through PyPI `panoramisk`'s parser in e2e/test_ivr.py, so both read every line alike.
@Suite("AGI replies")
struct AGIReplyTests {
    struct Row: Decodable {
        let line: String
        let status: Int?
        let result: String?
        let data: String?
        let hangup: Bool
    }

    static let rows: [Row] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/agi_replies.json")
        return (try? JSONDecoder().decode([Row].self, from: Data(contentsOf: url))) ?? []
    }()

    @Test func tableIsRead() { #expect(Self.rows.count >= 16) }

    @Test("every line", arguments: rows.map(\.line))
    func line(_ line: String) throws {
        let row = try #require(Self.rows.first { $0.line == line })
        let reply = try #require(AGIReply(line: Substring(line + "\r")))
        #expect(reply.meansHangUp == row.hangup)
        switch reply {
        case .success(let result, let data, _):
            #expect(row.status == 200 && result == row.result && data == row.data)
        case .trying: #expect(row.status == 100)
        case .invalidCommand: #expect(row.status == 510)
        case .deadChannel: #expect(row.status == 511)
        case .usageStart, .usageEnd: #expect(row.status == 520)
        case .hangUpNotice: #expect(row.status == nil)
        case .other(let code, _): Issue.record("unexpected code \(code)")
        }
    }

    @Test func notReplies() {
        #expect(AGIReply(line: "agi_uniqueid: 1.2") == nil)
        #expect(AGIReply(line: "20 result=1") == nil)
        #expect(AGIReply(line: "") == nil)
    }

    @Test func environmentBlock() throws {
        var environment = AGIEnvironment()
        #expect(try environment.take("agi_uniqueid: 1733040000.1\r"))
        #expect(try environment.take("agi_callerid: unknown"))
        #expect(try environment.take("agi_network_script: recharge"))
        #expect(try !environment.take("\r"))
        #expect(environment.uniqueID == "1733040000.1" && environment.callerID == nil && environment.script == "recharge")
        #expect(throws: FastAGIError.malformed("environment line")) { try environment.take("GET DATA x 1 1") }
    }

    @Test func resamplingKeepsSpeechBandAndDropsWhatTelephonyCannotCarry() throws {
        func tone(_ hertz: Double, rate: Int) -> WAVAudio {
            WAVAudio(sampleRate: rate, samples: (0..<rate).map { Int16(10_000 * sin(2 * .pi * hertz * Double($0) / Double(rate))) })
        }
        func rms(_ audio: WAVAudio) -> Double {
            let middle = audio.samples[audio.samples.count / 4..<audio.samples.count * 3 / 4]
            return (middle.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(middle.count)).squareRoot()
        }
        let speech = tone(1_000, rate: 22_050).resampled(to: 8_000)
        #expect(speech.sampleRate == 8_000 && abs(speech.samples.count - 8_000) <= 1)
        #expect(abs(rms(speech) - 10_000 / 2.0.squareRoot()) < 300)
        #expect(rms(tone(6_000, rate: 22_050).resampled(to: 8_000)) < 300)
        let wave = speech.wave
        #expect(try WAVAudio(wave: wave) == speech)
        #expect(wave.count == 44 + speech.samples.count * 2)
    }
}
