import Foundation

/// One setting Baohao reads, under one name in every source: `smtp.ca_file` in a configuration
/// file (YAML `smtp: {ca_file: …}` or the same in JSON), `BAOHAO_SMTP_CA_FILE` in the environment
/// and `--smtp-ca-file` on the command line.
public struct Setting: Sendable, Hashable {
    /// What a value must look like; checked before any command runs.
    public enum Kind: Sendable, Hashable {
        /// Free text.
        case text
        /// A secret: never printed, and also accepted as `<name>_file` / `…_FILE` naming a file
        /// (a systemd credential, a Docker or Kubernetes secret) whose trimmed content is the value.
        case secret
        /// A whole number.
        case number
        /// `on`/`off` (also `1`/`0`, `true`/`false`, `yes`/`no`).
        case onOff
        /// One of a fixed list of words.
        case choice([String])
        /// A path to a file or folder.
        case path
    }

    /// The dotted key, lower case, words joined by `_`: `smtp.ca_file`.
    public let key: String
    public let kind: Kind
    /// One line for `baohao config list`.
    public let summary: String
    /// For the few settings that predate the `BAOHAO_` prefix (`LOG_FORMAT`, `LOG_LEVEL`).
    let unprefixed: Bool

    init(_ key: String, _ kind: Kind = .text, _ summary: String, unprefixed: Bool = false) {
        self.key = key
        self.kind = kind
        self.summary = summary
        self.unprefixed = unprefixed
    }

    /// The environment variable: `BAOHAO_SMTP_CA_FILE`.
    public var variable: String {
        let body = key.uppercased().replacingOccurrences(of: ".", with: "_")
        return unprefixed ? body : "BAOHAO_" + body
    }

    /// The command-line flag: `--smtp-ca-file`.
    public var flag: String {
        "--" + key.replacingOccurrences(of: ".", with: "-").replacingOccurrences(of: "_", with: "-")
    }

    /// For a secret, the key of its file form: `smtp.password_file`.
    var fileKey: String { key + "_file" }

    /// For a secret, the variable of its file form: `BAOHAO_SMTP_PASSWORD_FILE`.
    public var fileVariable: String { variable + "_FILE" }

    /// For a secret, the flag of its file form: `--smtp-password-file`.
    public var fileFlag: String { flag + "-file" }
}
