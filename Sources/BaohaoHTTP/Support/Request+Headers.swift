import Hummingbird

extension Request {
    /// The token of `Authorization: Bearer <token>`, or `nil` when the header is missing, of
    /// another scheme, or longer than 512 bytes.
    var bearerToken: String? {
        guard let header = headers[.authorization], header.hasPrefix("Bearer "), header.utf8.count <= 512 else { return nil }
        return String(header.dropFirst(7))
    }

    /// The `Idempotency-Key` header; 400 `idempotency-key-missing` without one. Its form is the
    /// domain's to check.
    var idempotencyKey: String {
        get throws {
            guard let key = headers[.init("Idempotency-Key")!], !key.isEmpty else {
                throw Problem(.badRequest, "idempotency-key-missing", field: "Idempotency-Key")
            }
            return key
        }
    }
}
