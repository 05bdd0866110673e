import Foundation

/// A policy file that cannot be used: which file, which line, and why.
public struct PolicyLoadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A line and a reason, before the file name is known.
    public struct Located: Error, Equatable, Sendable {
        public let line: Int
        public let reason: String
    }

    public let file: String
    public let line: Int
    public let reason: String

    public var description: String { "\(file):\(line): \(reason)" }
}

/// Reads policy files (format 1, JSON). See `docs/policies.md` for the format.
public enum PolicyLoader {
    /// The format version this build reads.
    public static let format = 1

    /// Parses one file's text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(PolicyLoadError) -> RetentionPolicy {
        do {
            return try decode(try PolicyJSON.parse(text))
        } catch {
            throw PolicyLoadError(file: file, line: error.line, reason: error.reason)
        }
    }

    /// Every `*.json` in `directory`, sorted by name.
    public static func load(directory: URL) throws -> [RetentionPolicy] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
                throw PolicyLoadError(file: url.path, line: 1, reason: "not readable as UTF-8")
            }
            return try parse(text, file: url.path)
        }
    }

    typealias Located = PolicyLoadError.Located

    struct Object {
        let members: [(key: String, value: PolicyJSON)]
        let line: Int
        let allowed: Set<String>

        init(_ node: PolicyJSON, what: String, allowed: Set<String>) throws(Located) {
            guard case .object(let members) = node.value else { throw Located(line: node.line, reason: "\(what) must be an object") }
            for member in members where !allowed.contains(member.key) {
                throw Located(line: member.value.line, reason: "unknown key \"\(member.key)\" in \(what)")
            }
            self.members = members
            self.line = node.line
            self.allowed = allowed
        }

        func optional(_ key: String) -> PolicyJSON? { members.first(where: { $0.key == key })?.value }

        func required(_ key: String) throws(Located) -> PolicyJSON {
            guard let value = optional(key) else { throw Located(line: line, reason: "missing \"\(key)\"") }
            return value
        }

        func string(_ key: String, maxLength: Int = 200) throws(Located) -> String {
            let node = try required(key)
            guard case .string(let text) = node.value, !text.isEmpty, text.count <= maxLength else {
                throw Located(line: node.line, reason: "\"\(key)\" must be a non-empty string of at most \(maxLength) characters")
            }
            return text
        }

        func integer(_ node: PolicyJSON, _ key: String, in range: ClosedRange<Int>) throws(Located) -> Int {
            guard case .number(let text) = node.value, let value = Int(text), range.contains(value) else {
                throw Located(line: node.line, reason: "\"\(key)\" must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }

        func integer(_ key: String, in range: ClosedRange<Int>) throws(Located) -> Int {
            try integer(try required(key), key, in: range)
        }

        func money(_ key: String, currency: Currency) throws(Located) -> Money {
            let node = try required(key)
            guard case .string(let text) = node.value, let money = LineImportCSV.parseMajorAmount(text, currency: currency),
                money.amountMinor >= 0, money.amountMinor <= 100_000_000_000
            else {
                throw Located(
                    line: node.line, reason: "\"\(key)\" must be an amount in \(currency.code) written as a string, e.g. \"5.00\"")
            }
            return money
        }
    }

    static let topKeys: Set<String> = [
        "format", "code", "version", "effective_from", "name", "operator", "sources", "notes", "time_zone", "currency",
        "monthly_fee", "activity", "validity", "minimum_balance", "after_lapse", "quarantine_days", "reminders",
    ]

    static func decode(_ root: PolicyJSON) throws(Located) -> RetentionPolicy {
        let top = try Object(root, what: "the policy", allowed: topKeys)
        let format = try top.integer("format", in: 1...99)
        guard format == Self.format else {
            throw Located(line: top.optional("format")!.line, reason: "format \(format) is not supported (this build reads \(Self.format))")
        }
        let codeNode = try top.required("code")
        let code = try top.string("code", maxLength: 40)
        guard code.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isLowercase || ("0"..."9").contains($0) || $0 == "-") }) else {
            throw Located(line: codeNode.line, reason: "\"code\" may hold only lower-case letters, digits and '-'")
        }
        let version = try top.integer("version", in: 1...1_000_000)
        let effectiveNode = try top.required("effective_from")
        guard case .string(let effectiveText) = effectiveNode.value, let effectiveFrom = LocalDate(iso: effectiveText) else {
            throw Located(line: effectiveNode.line, reason: "\"effective_from\" must be a date yyyy-MM-dd")
        }
        let names = try Object(try top.required("name"), what: "\"name\"", allowed: ["zh", "en"])
        let sourcesNode = try top.required("sources")
        guard case .array(let sourceItems) = sourcesNode.value, !sourceItems.isEmpty else {
            throw Located(line: sourcesNode.line, reason: "\"sources\" must list at least one URL where the rules were read")
        }
        var sources: [String] = []
        for item in sourceItems {
            guard case .string(let url) = item.value, url.hasPrefix("https://") || url.hasPrefix("http://"), url.count <= 500 else {
                throw Located(line: item.line, reason: "each source must be an http(s) URL")
            }
            sources.append(url)
        }
        let zoneNode = try top.required("time_zone")
        guard case .string(let zoneName) = zoneNode.value, let timeZone = TimeZone(identifier: zoneName) else {
            throw Located(line: zoneNode.line, reason: "\"time_zone\" must be an IANA zone such as Asia/Shanghai")
        }
        let currencyNode = try top.required("currency")
        guard case .string(let currencyCode) = currencyNode.value, let currency = Currency(code: currencyCode) else {
            throw Located(
                line: currencyNode.line, reason: "\"currency\" must be one of \(Currency.known.keys.sorted().joined(separator: ", "))")
        }

        var monthlyFee: MonthlyFeeRule?
        if let node = top.optional("monthly_fee") {
            let rule = try Object(node, what: "\"monthly_fee\"", allowed: ["amount", "day_of_month"])
            let fee = try rule.money("amount", currency: currency)
            guard fee.amountMinor > 0 else { throw Located(line: node.line, reason: "\"monthly_fee.amount\" must be above zero") }
            monthlyFee = MonthlyFeeRule(fee: fee, dayOfMonth: try rule.integer("day_of_month", in: 1...28))
        }

        var activity: ActivityRule?
        if let node = top.optional("activity") {
            let rule = try Object(node, what: "\"activity\"", allowed: ["every", "counts"])
            let every = try Object(try rule.required("every"), what: "\"activity.every\"", allowed: ["days", "months"])
            let period: ActivityRule.Period
            switch (every.optional("days"), every.optional("months")) {
            case (let days?, nil): period = .days(try every.integer(days, "days", in: 1...3650))
            case (nil, let months?): period = .months(try every.integer(months, "months", in: 1...120))
            default: throw Located(line: every.line, reason: "\"activity.every\" needs exactly one of \"days\" or \"months\"")
            }
            let countsNode = try rule.required("counts")
            guard case .array(let items) = countsNode.value, !items.isEmpty else {
                throw Located(line: countsNode.line, reason: "\"activity.counts\" must list what counts as activity")
            }
            var counts: Set<ActivityKind> = []
            for item in items {
                guard case .string(let text) = item.value, let kind = ActivityKind(rawValue: text) else {
                    throw Located(
                        line: item.line,
                        reason: "activity kinds are \(ActivityKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                counts.insert(kind)
            }
            activity = ActivityRule(period: period, counts: counts)
        }

        var validity: ValidityRule?
        if let node = top.optional("validity") {
            let rule = try Object(node, what: "\"validity\"", allowed: ["tiers", "initial_days", "accumulate", "max_days"])
            let tiersNode = try rule.required("tiers")
            guard case .array(let items) = tiersNode.value, !items.isEmpty, items.count <= 50 else {
                throw Located(line: tiersNode.line, reason: "\"validity.tiers\" must list 1–50 tiers")
            }
            var tiers: [ValidityRule.Tier] = []
            for item in items {
                let tier = try Object(item, what: "a validity tier", allowed: ["from", "days"])
                let from = try tier.money("from", currency: currency)
                let days = try tier.integer("days", in: 1...3650)
                if let previous = tiers.last, previous.from.amountMinor >= from.amountMinor || previous.days > days {
                    throw Located(line: item.line, reason: "validity tiers must rise in amount and not fall in days")
                }
                tiers.append(.init(from: from, days: days))
            }
            var accumulate = false
            if let node = rule.optional("accumulate") {
                guard case .bool(let flag) = node.value else {
                    throw Located(line: node.line, reason: "\"accumulate\" must be true or false")
                }
                accumulate = flag
            }
            let maximum = try rule.optional("max_days").map { node throws(Located) in try rule.integer(node, "max_days", in: 1...3650) }
            validity = ValidityRule(
                tiers: tiers, initialDays: try rule.integer("initial_days", in: 0...3650), accumulate: accumulate, maximumDays: maximum)
        }

        var minimumBalance: MinimumBalanceRule?
        if let node = top.optional("minimum_balance") {
            let rule = try Object(node, what: "\"minimum_balance\"", allowed: ["after_inactive_days", "charge", "extends_days"])
            let charge = try rule.money("charge", currency: currency)
            guard charge.amountMinor > 0 else { throw Located(line: node.line, reason: "\"minimum_balance.charge\" must be above zero") }
            minimumBalance = MinimumBalanceRule(
                afterInactiveDays: try rule.integer("after_inactive_days", in: 1...3650), charge: charge,
                extendsDays: try rule.integer("extends_days", in: 1...3650))
        }
        if monthlyFee != nil, minimumBalance != nil {
            throw Located(line: top.optional("minimum_balance")!.line, reason: "\"monthly_fee\" and \"minimum_balance\" cannot be combined")
        }
        guard monthlyFee != nil || activity != nil || validity != nil || minimumBalance != nil else {
            throw Located(
                line: top.line, reason: "a policy needs at least one rule: monthly_fee, activity, validity or minimum_balance")
        }

        let phasesNode = try top.required("after_lapse")
        guard case .array(let phaseItems) = phasesNode.value, phaseItems.count <= 3 else {
            throw Located(line: phasesNode.line, reason: "\"after_lapse\" must list at most 3 stages")
        }
        var phases: [Phase] = []
        let order: [LineStatus] = [.grace, .suspended, .barred]
        for item in phaseItems {
            let phase = try Object(item, what: "a stage after lapse", allowed: ["stage", "days"])
            let stageNode = try phase.required("stage")
            guard case .string(let stageText) = stageNode.value, let stage = LineStatus(rawValue: stageText), order.contains(stage) else {
                throw Located(line: stageNode.line, reason: "a stage after lapse is one of grace, suspended, barred")
            }
            if let previous = phases.last, order.firstIndex(of: previous.stage)! >= order.firstIndex(of: stage)! {
                throw Located(line: stageNode.line, reason: "stages after lapse must follow the order grace, suspended, barred")
            }
            phases.append(Phase(stage: stage, days: try phase.integer("days", in: 1...3650)))
        }

        let reminderObject = try top.optional("reminders").map { node throws(Located) in
            try Object(node, what: "\"reminders\"", allowed: ["before_days", "low_balance_below"])
        }
        var beforeDays = [30, 7, 1]
        if let node = reminderObject?.optional("before_days") {
            guard case .array(let items) = node.value, items.count <= 10 else {
                throw Located(line: node.line, reason: "\"reminders.before_days\" must list at most 10 day counts")
            }
            beforeDays = []
            for item in items { beforeDays.append(try reminderObject!.integer(item, "before_days", in: 1...365)) }
            beforeDays = Array(Set(beforeDays)).sorted(by: >)
        }
        let lowBalance = try reminderObject?.optional("low_balance_below").map { _ throws(Located) in
            try reminderObject!.money("low_balance_below", currency: currency)
        }

        let notes: String
        if let node = top.optional("notes") {
            guard case .string(let text) = node.value, text.count <= 2000 else {
                throw Located(line: node.line, reason: "\"notes\" must be a string of at most 2000 characters")
            }
            notes = text
        } else {
            notes = ""
        }
        return RetentionPolicy(
            code: code, version: version, effectiveFrom: effectiveFrom, nameZh: try names.string("zh"), nameEn: try names.string("en"),
            operatorName: try top.string("operator"), sources: sources, notes: notes, timeZone: timeZone, currency: currency,
            monthlyFee: monthlyFee, activity: activity, validity: validity, minimumBalance: minimumBalance, afterLapse: phases,
            quarantineDays: try top.integer("quarantine_days", in: 0...3650),
            reminders: ReminderRule(beforeDays: beforeDays, lowBalanceBelow: lowBalance))
    }
}
