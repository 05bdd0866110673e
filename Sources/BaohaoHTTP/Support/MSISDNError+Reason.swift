import BaohaoDomain

extension MSISDNError {
    /// Why the number was refused, as the payer reads it.
    func reason(_ language: Language) -> String {
        switch (self, language) {
        case (.empty, .zh): return "号码无效：请输入手机号码。"
        case (.empty, .en): return "The phone number is invalid: type a number."
        case (.tooLong, .zh): return "号码无效：位数过多。"
        case (.tooLong, .en): return "The phone number is invalid: it has too many digits."
        case (.invalidCharacter, .zh): return "号码无效：只能包含数字、空格、连字符和开头的 +。"
        case (.invalidCharacter, .en): return "The phone number is invalid: use digits, spaces, hyphens and a leading + only."
        case (.notMobileNumber, .zh): return "号码无效：这不是手机号码（大陆手机号为 1 开头的 11 位数字）。"
        case (.notMobileNumber, .en):
            return "The phone number is invalid: it is not a mobile number (mainland mobiles are 11 digits starting with 1)."
        case (.wrongLength, .zh): return "号码无效：位数不对（大陆手机号为 11 位）。"
        case (.wrongLength, .en): return "The phone number is invalid: wrong number of digits (mainland mobiles have 11)."
        case (.invalidCountryCode, .zh): return "号码无效：国家码不正确。"
        case (.invalidCountryCode, .en): return "The phone number is invalid: the country code is wrong."
        case (.unallocatedRange, .zh): return "号码无效：该号段尚未启用，请核对前三位。"
        case (.unallocatedRange, .en): return "The phone number is invalid: no operator uses this range; check the first three digits."
        }
    }
}
