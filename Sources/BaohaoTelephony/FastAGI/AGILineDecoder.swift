import NIOCore

/// Splits what Asterisk sends into lines (LF, CR stripped later), at most 1 KiB each: an
/// `agi_*` variable or a command's reply is far shorter.
struct AGILineDecoder: ByteToMessageDecoder {
    typealias InboundOut = Substring

    static let maximumLineBytes = 1024

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maximumLineBytes { throw FastAGIError.malformed("line too long") }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        guard length <= Self.maximumLineBytes else { throw FastAGIError.malformed("line too long") }
        let line = buffer.readString(length: length) ?? ""
        buffer.moveReaderIndex(forwardBy: 1)
        context.fireChannelRead(wrapInboundOut(Substring(line)))
        return .continue
    }
}
