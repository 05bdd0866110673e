import Foundation

/// 16-bit mono PCM audio: read from a RIFF/WAVE file, resampled, written back. Enough for the
/// hotline's prompts: telephone audio is 8 kHz, 16-bit, mono (Asterisk's `.wav` format).
public struct WAVAudio: Sendable, Equatable {
    public let sampleRate: Int
    public let samples: [Int16]

    public init(sampleRate: Int, samples: [Int16]) {
        self.sampleRate = sampleRate
        self.samples = samples
    }

    /// Reads a PCM 16-bit mono WAVE file (espeak-ng's output).
    public init(wave data: Data) throws(WAVError) {
        let bytes = [UInt8](data)
        func u32(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24 }
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        guard bytes.count >= 12, bytes[0..<4] == [0x52, 0x49, 0x46, 0x46], bytes[8..<12] == [0x57, 0x41, 0x56, 0x45] else {
            throw .notWave
        }
        var offset = 12
        var rate: Int? = nil
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            // espeak-ng writing to a pipe leaves the sizes at 0x7fffffff: the data runs to the end.
            let size = min(u32(offset + 4), bytes.count - offset - 8)
            let body = offset + 8
            if id == "fmt " {
                guard size >= 16, u16(body) == 1, u16(body + 2) == 1, u16(body + 14) == 16 else { throw .unsupportedFormat }
                rate = u32(body + 4)
            } else if id == "data" {
                guard let rate else { throw .unsupportedFormat }
                var samples = [Int16](repeating: 0, count: size / 2)
                for index in samples.indices { samples[index] = Int16(bitPattern: UInt16(u16(body + index * 2))) }
                self.init(sampleRate: rate, samples: samples)
                return
            }
            offset = body + size + (size & 1)
        }
        throw .notWave
    }

    /// The same sound at `rate`: low-pass filtered below the new Nyquist frequency (a windowed-sinc
    /// filter, evaluated only where an output sample needs it), then sampled by linear interpolation.
    public func resampled(to rate: Int) -> WAVAudio {
        guard rate != sampleRate, !samples.isEmpty else { return WAVAudio(sampleRate: rate, samples: samples) }
        let half = 32
        var taps = [0.0]
        if rate < sampleRate {
            let cutoff = 0.45 * Double(rate) / Double(sampleRate)
            taps = (-half...half).map { n -> Double in
                let x = Double(n)
                let sinc = n == 0 ? 2 * cutoff : sin(2 * .pi * cutoff * x) / (.pi * x)
                let window = 0.42 + 0.5 * cos(.pi * x / Double(half)) + 0.08 * cos(2 * .pi * x / Double(half))
                return sinc * window
            }
            let gain = taps.reduce(0, +)
            taps = taps.map { $0 / gain }
        }
        let reach = taps.count / 2
        let count = Int((Double(samples.count) * Double(rate) / Double(sampleRate)).rounded(.down))
        let step = Double(sampleRate) / Double(rate)
        var out = [Int16](repeating: 0, count: count)
        samples.withUnsafeBufferPointer { input in
            taps.withUnsafeBufferPointer { filter in
                func filtered(_ at: Int) -> Double {
                    var sum = 0.0
                    for k in max(0, reach - at)..<min(filter.count, input.count - at + reach) {
                        sum += filter[k] * Double(input[at + k - reach])
                    }
                    return sum
                }
                for index in 0..<count {
                    let position = Double(index) * step
                    let left = Int(position)
                    let fraction = position - Double(left)
                    let value = filtered(left) * (1 - fraction) + filtered(min(left + 1, input.count - 1)) * fraction
                    out[index] = Int16(max(-32768, min(32767, value.rounded())))
                }
            }
        }
        return WAVAudio(sampleRate: rate, samples: out)
    }

    /// A RIFF/WAVE file: PCM, 16-bit, mono.
    public var wave: Data {
        var data = Data()
        func append32(_ value: Int) { withUnsafeBytes(of: UInt32(value).littleEndian) { data.append(contentsOf: $0) } }
        func append16(_ value: Int) { withUnsafeBytes(of: UInt16(value).littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: Array("RIFF".utf8))
        append32(36 + samples.count * 2)
        data.append(contentsOf: Array("WAVEfmt ".utf8))
        append32(16)
        append16(1)
        append16(1)
        append32(sampleRate)
        append32(sampleRate * 2)
        append16(2)
        append16(16)
        data.append(contentsOf: Array("data".utf8))
        append32(samples.count * 2)
        for sample in samples { withUnsafeBytes(of: sample.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }
}

/// Why audio could not be read.
public enum WAVError: Error, Sendable, Hashable {
    case notWave
    case unsupportedFormat
}
