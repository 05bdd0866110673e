import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Where and how to send mail.
public struct SMTPConfiguration: Sendable {
    public enum Security: String, Sendable {
        /// Plain SMTP (a local relay or test sink).
        case none
        /// STARTTLS if the server offers it, else plain.
        case startTLSIfOffered = "starttls-optional"
        /// STARTTLS or refuse to send.
        case startTLS = "starttls"
    }

    public let host: String
    public let port: Int
    public let from: String
    public let username: String?
    public let password: String?
    public let security: Security
    /// PEM file of CA certificates to trust instead of the system's (a private relay).
    public let caFile: String?
    public let heloName: String
    public let timeout: TimeAmount

    public init(
        host: String, port: Int, from: String, username: String? = nil, password: String? = nil, security: Security = .startTLS,
        caFile: String? = nil, heloName: String = "baohao.localhost", timeout: TimeAmount = .seconds(20)
    ) {
        self.host = host
        self.port = port
        self.from = from
        self.username = username
        self.password = password
        self.security = security
        self.caFile = caFile
        self.heloName = heloName
        self.timeout = timeout
    }
}

/// Why a mail was not accepted. `permanent`: a 5xx reply (retrying cannot help).
public struct SMTPError: Error, Sendable, CustomStringConvertible {
    public let permanent: Bool
    public let description: String
}

/// A small SMTP client on swift-nio: EHLO, STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA, QUIT.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration

    public init(configuration: SMTPConfiguration) {
        self.configuration = configuration
    }

    /// Sends one message; returns the server's reply to the end of DATA (it often names the queue id).
    public func send(_ message: MailMessage) async throws -> String {
        guard MailMessage.isAcceptableAddress(message.to), MailMessage.isAcceptableAddress(message.from) else {
            throw SMTPError(permanent: true, description: "bad address")
        }
        let configuration = self.configuration
        return try await withThrowingTaskGroup(of: String.self) { group in
            group.addTask { try await Self.session(configuration, message) }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(configuration.timeout.nanoseconds))
                throw SMTPError(permanent: false, description: "timed out")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    static func session(_ configuration: SMTPConfiguration, _ message: MailMessage) async throws -> String {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
                    return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var lines = inbound.makeAsyncIterator()
            func reply() async throws -> (code: Int, lines: [String]) {
                var collected: [String] = []
                while let line = try await lines.next() {
                    collected.append(line)
                    let bytes = Array(line.utf8)
                    guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)) else {
                        throw SMTPError(permanent: false, description: "malformed reply")
                    }
                    if bytes.count == 3 || bytes[3] == UInt8(ascii: " ") { return (code, collected) }
                    guard collected.count < 100 else { throw SMTPError(permanent: false, description: "reply too long") }
                }
                throw SMTPError(permanent: false, description: "connection closed")
            }
            func command(_ text: String, expect: Int...) async throws -> (code: Int, lines: [String]) {
                try await outbound.write(ByteBuffer(string: text + "\r\n"))
                let answer = try await reply()
                guard expect.contains(answer.code) else {
                    let verb = text.split(separator: " ").first.map(String.init) ?? text
                    throw SMTPError(permanent: answer.code >= 500, description: "\(verb) answered \(answer.code)")
                }
                return answer
            }
            let greeting = try await reply()
            guard greeting.code == 220 else { throw SMTPError(permanent: greeting.code >= 500, description: "greeting \(greeting.code)") }
            let ehlo = try await command("EHLO \(configuration.heloName)", expect: 250)
            let offersTLS = ehlo.lines.contains { $0.dropFirst(4).uppercased().hasPrefix("STARTTLS") }
            var encrypted = false
            if configuration.security == .startTLS || (configuration.security == .startTLSIfOffered && offersTLS) {
                guard offersTLS else { throw SMTPError(permanent: false, description: "server does not offer STARTTLS") }
                _ = try await command("STARTTLS", expect: 220)
                let recorder = FirstErrorRecorder()
                try await channel.channel.eventLoop.submit {
                    try channel.channel.pipeline.syncOperations.addHandlers([try tlsHandler(configuration), recorder], position: .first)
                }.get()
                do {
                    _ = try await command("EHLO \(configuration.heloName)", expect: 250)
                } catch {
                    let cause = recorder.first.withLock { $0 } ?? error
                    throw SMTPError(permanent: false, description: "TLS handshake failed (\(cause))")
                }
                encrypted = true
            }
            if let username = configuration.username, let password = configuration.password {
                // Credentials go over plain text only when the operator chose `none` (a local relay).
                guard encrypted || configuration.security == .none else {
                    throw SMTPError(permanent: false, description: "server does not offer STARTTLS; credentials not sent in the clear")
                }
                let token = Data("\u{0}\(username)\u{0}\(password)".utf8).base64EncodedString()
                do {
                    _ = try await command("AUTH PLAIN \(token)", expect: 235)
                } catch let error as SMTPError {
                    // Wrong credentials are the operator's to fix: keep retrying the reminder meanwhile.
                    throw SMTPError(permanent: false, description: error.description)
                }
            }
            _ = try await command("MAIL FROM:<\(message.from)>", expect: 250)
            _ = try await command("RCPT TO:<\(message.to)>", expect: 250, 251)
            _ = try await command("DATA", expect: 354)
            let accepted = try await command(message.rendered() + "\r\n.", expect: 250)
            _ = try? await command("QUIT", expect: 221)
            return String(accepted.lines.last?.dropFirst(4) ?? "")
        }
    }
}

/// The TLS handler for STARTTLS: the system's trust roots or `caFile`'s; the certificate must
/// name `host` (its DNS name, or for an IP literal the connected address).
func tlsHandler(_ configuration: SMTPConfiguration) throws -> NIOSSLClientHandler {
    var tls = TLSConfiguration.makeClientConfiguration()
    if let caFile = configuration.caFile {
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
    }
    let isAddress = (try? SocketAddress(ipAddress: configuration.host, port: 0)) != nil
    return try NIOSSLClientHandler(context: try NIOSSLContext(configuration: tls), serverHostname: isAddress ? nil : configuration.host)
}

/// Keeps the first error raised on the channel: a failed TLS handshake says why there, while the
/// pending write only learns that the channel closed.
final class FirstErrorRecorder: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    let first = Mutex<(any Error)?>(nil)

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        first.withLock { if $0 == nil { $0 = error } }
        context.fireErrorCaught(error)
    }
}

/// Splits the server's replies into lines (CRLF or LF), at most 4 KiB each.
struct SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 4096 { throw SMTPError(permanent: false, description: "reply line too long") }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        var line = buffer.readString(length: length) ?? ""
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }
}
