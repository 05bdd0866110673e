import Hummingbird

extension Request {
    /// The token of `Authorization: Bearer <token>`, or `nil` when the header is missing, of
    /// another scheme, or longer than 512 bytes.
    var bearerToken: String? {
        guard let header = headers[.authorization], header.hasPrefix("Bearer "), header.utf8.count <= 512 else { return nil }
        return String(header.dropFirst(7))
    }
}
