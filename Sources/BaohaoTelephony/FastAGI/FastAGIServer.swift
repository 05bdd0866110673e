import BaohaoDomain
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Asterisk's FastAGI on TCP (`AGI(agi://host:4573/recharge)` in the dialplan): reads the
/// `agi_*` block, answers the channel and drives the hotline's dialog with AGI commands until the
/// call ends. One task a call; at most ``maximumCalls`` at once (more are refused at once), a
/// connection silent for ``idleTimeout`` is closed. A graceful shutdown stops accepting calls and
/// lets those under way finish.
public struct FastAGIServer: Service {
    let host: String
    let port: Int
    let ivr: IVRService
    let logger: Logger
    /// Where prompts are, relative to Asterisk's sounds directory (`baohao` → `baohao/zh/welcome`).
    let sounds: String
    let maximumCalls: Int
    let idleTimeout: TimeAmount
    /// Told the bound port once listening (port 0 picks a free one).
    let onListening: @Sendable (Int) -> Void
    /// Whether failing to listen stops the server (an operator asked for this port); otherwise it
    /// is logged and the rest of Baohao runs on (the demo's default port may be taken).
    let required: Bool

    /// The script name the dialplan calls.
    public static let script = "recharge"
    /// Most inputs one call may take (a runaway script cannot loop forever).
    static let maximumTurns = 300

    public init(
        host: String, port: Int, ivr: IVRService, logger: Logger, sounds: String = "baohao", maximumCalls: Int = 256,
        idleTimeout: TimeAmount = .seconds(120), required: Bool = true, onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.required = required
        self.host = host
        self.port = port
        self.ivr = ivr
        self.logger = logger
        self.sounds = sounds
        self.maximumCalls = maximumCalls
        self.idleTimeout = idleTimeout
        self.onListening = onListening
    }

    public func run() async throws {
        let idleTimeout = self.idleTimeout
        let server: NIOAsyncChannel<NIOAsyncChannel<Substring, ByteBuffer>, Never>
        do {
            server = try await bind(idleTimeout)
        } catch {
            logger.error("FastAGI cannot listen", metadata: ["address": "\(host):\(port)", "error": "\(error)"])
            if required { throw error }
            try? await gracefulShutdown()
            return
        }
        try await accept(server)
    }

    func bind(_ idleTimeout: TimeAmount) async throws -> NIOAsyncChannel<NIOAsyncChannel<Substring, ByteBuffer>, Never> {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(readTimeout: idleTimeout), CloseOnIdle(), ByteToMessageHandler(AGILineDecoder()),
                    ])
                    return try NIOAsyncChannel<Substring, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    func accept(_ server: NIOAsyncChannel<NIOAsyncChannel<Substring, ByteBuffer>, Never>) async throws {
        let bound = server.channel.localAddress?.port ?? port
        logger.info("FastAGI listening", metadata: ["address": "\(host):\(bound)"])
        onListening(bound)
        let active = ActiveCalls()
        try await withGracefulShutdownHandler {
            try await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        let admitted = active.count.withLock { count in
                            guard count < maximumCalls else { return false }
                            count += 1
                            return true
                        }
                        guard admitted else {
                            logger.warning("FastAGI call refused: too many calls", metadata: ["limit": "\(maximumCalls)"])
                            try? await connection.channel.close()
                            continue
                        }
                        group.addTask {
                            defer { active.count.withLock { $0 -= 1 } }
                            await serve(connection)
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
    }

    /// One call, start to end. Errors end the call; none escapes.
    func serve(_ connection: NIOAsyncChannel<Substring, ByteBuffer>) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var lines = inbound.makeAsyncIterator()
                var environment = AGIEnvironment()
                while true {
                    guard let line = try await lines.next() else { throw FastAGIError.closed }
                    if try !environment.take(line) { break }
                }
                var session = AGICallSession(outbound: outbound, lines: lines, sounds: sounds, channelLanguage: nil)
                let script = environment.script.map { $0.split(separator: "?").first.map(String.init) ?? $0 } ?? ""
                guard script == Self.script || script == "/\(Self.script)" else {
                    _ = try? await session.command("HANGUP")
                    throw FastAGIError.unknownScript(script)
                }
                guard let raw = environment.uniqueID, let callID = IVRCall.id(.fastAGI, raw) else {
                    throw FastAGIError.malformed("agi_uniqueid")
                }
                try await call(callID, environment: environment, session: &session)
            }
        } catch {
            logger.warning("FastAGI connection ended", metadata: ["reason": "\(Self.describe(error))"])
        }
    }

    func call(_ callID: String, environment: AGIEnvironment, session: inout AGICallSession) async throws {
        let caller = environment.callerID
        var log = logger
        log[metadataKey: "call"] = "\(callID)"
        log.info("IVR call", metadata: ["caller": "\(IVRCall.mask(caller: caller))", "front_end": "fastagi"])
        var (live, turn) = try await ivr.start(
            id: callID, frontEnd: .fastAGI, caller: caller, language: environment.language?.hasPrefix("en") == true ? .en : .zh)
        let answer = try await session.command("ANSWER")
        var input: IVRInput? = answer.meansHangUp ? .hangUp : nil
        var turns = 0
        while turns < Self.maximumTurns {
            turns += 1
            if input == nil {
                do {
                    input = try await session.play(turn)
                } catch {
                    // The connection broke mid-turn: the caller is gone.
                    input = .hangUp
                }
            }
            guard let next = input else { break }
            turn = try await ivr.advance(&live, with: next)
            input = nil
            if case .hangUp = next { break }
        }
        if !live.dialog.isEnded { _ = try await ivr.advance(&live, with: .hangUp) }
        log.info("IVR call ended", metadata: ["outcome": "\(live.dialog.outcome.rawValue)", "steps": "\(live.dialog.steps.count)"])
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case FastAGIError.malformed(let what): return "malformed \(what)"
        case FastAGIError.unknownScript(let script): return "unknown script \(script.prefix(40))"
        case FastAGIError.closed: return "closed"
        case FastAGIError.timedOut: return "timed out"
        default: return String(describing: type(of: error))
        }
    }
}

/// How many calls are under way.
final class ActiveCalls: Sendable {
    let count = Mutex(0)
}

/// Closes a connection that has been silent for the idle time.
final class CloseOnIdle: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
