extension StringProtocol {
    /// Whether every character is an ASCII digit `0`–`9` (true for the empty string): keys from a
    /// phone keypad, card fields, payment codes. Unlike `Character.isNumber`, no other script's digits.
    public var isAllASCIIDigits: Bool { utf8.allSatisfy { (48...57).contains($0) } }
}

extension StringProtocol {
    /// Whether every character is visible ASCII (`!` to `~`: no space, control or non-ASCII
    /// character), as keys, references and ids from outside must be before they are kept.
    public var isAllVisibleASCII: Bool { utf8.allSatisfy { (33...126).contains($0) } }
}
