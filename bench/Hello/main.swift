import Hummingbird

/// The reference for the confirm-endpoint benchmark: Hummingbird's plain hello route, nothing else.
let port = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 18181 : 18181
let router = Router()
router.get("/") { _, _ in "Hello" }
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
