import Foundation

/// Adds, imports and looks up lines. Every opening balance is a ledger transfer in the same
/// transaction as the line it opens.
public struct LineService: Sendable {
    /// The ports this service uses, and no others.
    let store: Transactions<any PlanRows & LineRows & CreditRows & RetentionRows>
    let clock: any WallClock
    let ids: IdentifierFactory
    let retention: PolicyBook

    /// Opening balances accepted: from ¥-10,000 (arrears) to ¥100,000.
    public static let openingBalanceRange: ClosedRange<Int64> = -1_000_000...10_000_000

    public init(
        store: any RechargeStore, clock: any WallClock, ids: IdentifierFactory = IdentifierFactory(),
        retention: PolicyBook = .shippedBook
    ) {
        self.store = Transactions(store) { $0 }
        self.clock = clock
        self.ids = ids
        self.retention = retention
    }

    /// Adds one line.
    public func add(_ request: NewLine) async throws -> Line {
        let now = clock.now()
        let ids = self.ids
        let prepared = try Self.prepare(request, at: now, ids: ids)
        return try await store.write { session in
            guard let plan = try await session.plan(code: request.planCode) else { throw DomainError.planNotFound(request.planCode) }
            return try await Self.insert(prepared, plan: plan, session: session, ids: ids, at: now, retention: retention)
        }
    }

    /// Imports many lines: either every row is good and all are added in one transaction, or
    /// nothing is written and the report lists every bad row by its line number.
    public func importLines(_ rows: [(row: Int, line: NewLine)], parseErrors: [ImportReport.RowError]) async throws -> ImportReport {
        try await importLines(from: LineImportRows(rows: rows, errors: parseErrors))
    }

    /// Most row errors an import lists; the count of rows read stays exact.
    public static let importErrorsListed = 1_000

    /// Imports the rows `source` reads, batch by batch, in one transaction: every row is good and
    /// all are added, or nothing is written and the report lists the bad rows by line number (the
    /// first ``importErrorsListed``). `progress` hears the rows read so far after each batch.
    ///
    /// The transaction holds the database's write lock while it runs: on SQLite other writers wait
    /// for it, so a large import belongs in a quiet hour.
    public func importLines(from source: any LineImportSource, progress: (@Sendable (Int) -> Void)? = nil) async throws
        -> ImportReport
    {
        let now = clock.now()
        let ids = self.ids
        let retention = self.retention
        do {
            return try await store.write { session in
                var errors: [ImportReport.RowError] = []
                var errorCount = 0
                func refuse(_ error: ImportReport.RowError) {
                    errorCount += 1
                    if errors.count < Self.importErrorsListed { errors.append(error) }
                }
                var seen: [MSISDN: Int] = [:]
                var plans: [String: Plan?] = [:]
                var rowsRead = 0
                var imported = 0
                while let batch = try source.nextBatch() {
                    rowsRead += batch.rows.count + batch.errors.count
                    batch.errors.forEach(refuse)
                    // First what needs no database: the row itself, repeats in the file, the plan.
                    var candidates: [(row: Int, item: PreparedLine, plan: Plan)] = []
                    for (row, request) in batch.rows {
                        let item: PreparedLine
                        do {
                            item = try Self.prepare(request, at: now, ids: ids)
                        } catch let error as DomainError {
                            refuse(Self.rowError(row, error))
                            continue
                        }
                        if let first = seen[item.line.msisdn] {
                            refuse(.init(row: row, field: "msisdn", message: "same number as line \(first) / 与第\(first)行号码重复"))
                            continue
                        }
                        seen[item.line.msisdn] = row
                        if plans[item.line.planCode] == nil {
                            plans[item.line.planCode] = .some(try await session.plan(code: item.line.planCode))
                        }
                        guard let plan = plans[item.line.planCode] ?? nil else {
                            refuse(.init(row: row, field: "plan", message: "unknown plan \(item.line.planCode) / 套餐不存在"))
                            continue
                        }
                        candidates.append((row, item, plan))
                    }
                    // Then the numbers against the database, the whole batch in a few queries.
                    let numbers = candidates.map(\.item.line.msisdn)
                    let taken = try await session.numbersInService(numbers)
                    let quarantined = try await session.numbersInQuarantine(numbers, at: now)
                    var lines: [Line] = []
                    var transfers: [Transfer] = []
                    for candidate in candidates {
                        let msisdn = candidate.item.line.msisdn
                        if taken.contains(msisdn) {
                            refuse(.init(row: candidate.row, field: "msisdn", message: "number already has a line / 号码已存在"))
                        } else if quarantined.contains(msisdn) {
                            refuse(.init(row: candidate.row, field: "msisdn", message: "number reclaimed and in quarantine / 号码回收冷却期内"))
                        } else {
                            do {
                                let (line, transfer) = try Self.opened(
                                    candidate.item, plan: candidate.plan, ids: ids, at: now, retention: retention)
                                lines.append(line)
                                if let transfer { transfers.append(transfer) }
                            } catch let error as DomainError {
                                refuse(Self.rowError(candidate.row, error))
                            }
                        }
                    }
                    // After the first bad row nothing more is written; the rest is only checked.
                    if errorCount == 0, !lines.isEmpty {
                        try await session.insertLines(lines, transfers: transfers)
                        imported += lines.count
                    }
                    progress?(rowsRead)
                }
                guard errorCount == 0 else {
                    if errorCount > errors.count, let last = errors.last {
                        errors.append(
                            .init(
                                row: last.row, field: "file",
                                message: "\(errorCount - errors.count) more bad row(s) not listed / 另有 \(errorCount - errors.count) 行错误未列出")
                        )
                    }
                    throw ImportRejection(report: ImportReport(rowsRead: rowsRead, imported: 0, errors: errors.sorted { $0.row < $1.row }))
                }
                return ImportReport(rowsRead: rowsRead, imported: imported, errors: [])
            }
        } catch let rejection as ImportRejection {
            throw DomainError.importRejected(rejection.report)
        }
    }

    /// Thrown inside the import's transaction so that nothing it wrote is kept.
    struct ImportRejection: Error {
        let report: ImportReport
    }

    /// A line by number (any form people type).
    public func line(msisdn input: String) async throws -> Line {
        let msisdn = try Self.parseNumber(input)
        guard let line = try await store.read({ try await $0.line(msisdn: msisdn) }) else { throw DomainError.lineNotFound }
        return line
    }

    /// An operator's manual status change (suspend, bar, restore). Reclaiming is final here:
    /// a reclaimed line's number is free for a new line, and the old line stays as history.
    public func changeStatus(msisdn input: String, to status: LineStatus) async throws -> Line {
        let msisdn = try Self.parseNumber(input)
        let now = clock.now()
        let ids = self.ids
        return try await store.write { session in
            guard var line = try await session.line(msisdn: msisdn) else { throw DomainError.lineNotFound }
            guard line.status != status else { return line }
            guard try await session.setStatus(lineID: line.id, to: status, expected: line.status, at: now) else {
                throw StoreError.conflict
            }
            // A change by hand is in the line's stage history like any other (reason `manual`).
            let change = StageChange(
                lineID: line.id, from: line.status, to: status, effectiveOn: LocalDate(now, in: Deadline.mainlandTimeZone), recordedAt: now,
                reason: "manual", policy: line.policyCode ?? "none")
            try await session.insertStageChange(id: ids.make("se", at: now), change, announced: true)
            line.status = status
            return line
        }
    }

    /// Lines page by page in number order.
    public func list(status: LineStatus?, after cursor: String?, limit: Int) async throws -> [Line] {
        let bounded = min(max(limit, 1), 500)
        return try await store.read { try await $0.lines(status: status, after: cursor, limit: bounded) }
    }

    static func parseNumber(_ input: String, field: String = "msisdn") throws -> MSISDN {
        do { return try MSISDN(parsing: input) } catch { throw DomainError.invalidNumber(field: field, error) }
    }

    struct PreparedLine: Sendable {
        let line: Line
        let arrearsSince: LocalDate?
    }

    static func prepare(_ request: NewLine, at now: Date, ids: IdentifierFactory) throws -> PreparedLine {
        let msisdn = try parseNumber(request.msisdn)
        let holder: String
        do { holder = try Line.validatedHolderName(request.holderName) } catch { throw DomainError.validation(error) }
        guard openingBalanceRange.contains(request.openingBalance.amountMinor) else {
            throw DomainError.validation(ValidationError(field: "opening_balance", reason: .outOfRange))
        }
        guard !request.planCode.isEmpty else { throw DomainError.validation(ValidationError(field: "plan", reason: .missing)) }
        let line = Line(
            id: ids.make("line", at: now), msisdn: msisdn, mobileOperator: request.mobileOperator ?? msisdn.operatorHint,
            planCode: request.planCode, holderName: holder, status: .active, balance: request.openingBalance, createdAt: now)
        if let since = request.arrearsSince {
            // Only a line with a debt has arrears; a year back is as far as stages are counted.
            let today = LocalDate(now, in: Deadline.mainlandTimeZone)
            guard request.openingBalance.amountMinor < 0, since <= today, since >= today.adding(days: -366) else {
                throw DomainError.validation(ValidationError(field: "arrears_since", reason: .outOfRange))
            }
        }
        return PreparedLine(line: line, arrearsSince: request.arrearsSince)
    }

    /// The line as it opens on `plan`: its policy's starting state and its opening balance, with
    /// that balance's transfer when it is not zero. Nothing is written.
    static func opened(_ prepared: PreparedLine, plan: Plan, ids: IdentifierFactory, at now: Date, retention: PolicyBook) throws
        -> (line: Line, transfer: Transfer?)
    {
        var line = prepared.line
        if let code = plan.policyCode {
            guard let policy = retention.policy(code: code, at: now) else { throw DomainError.policyNotFound(code) }
            line.policyCode = code
            line.retention = RetentionEngine.initialState(policy: policy, createdAt: now, balance: line.balance)
            if policy.monthlyFee != nil, let since = prepared.arrearsSince { line.retention.arrearsSince = since }
        }
        guard line.balance.currency == plan.monthlyFee.currency else {
            throw DomainError.validation(
                ValidationError(field: "opening_balance.currency", reason: .notAllowed, detail: plan.monthlyFee.currency.code))
        }
        let opening = line.balance
        guard opening.amountMinor != 0 else { return (line, nil) }
        let transfer = try Transfer(
            id: ids.make("tr", at: now), kind: .openingBalance, orderID: nil,
            postings: [Posting(.openingBalances, try opening.negated()), Posting(.line(id: line.id), opening)], createdAt: now)
        return (line, transfer)
    }

    static func insert(
        _ prepared: PreparedLine, plan: Plan, session: any PlanRows & LineRows & CreditRows & RetentionRows, ids: IdentifierFactory,
        at now: Date, retention: PolicyBook
    ) async throws -> Line {
        let (opened, transfer) = try Self.opened(prepared, plan: plan, ids: ids, at: now, retention: retention)
        if try await session.isQuarantined(msisdn: opened.msisdn, at: now) { throw DomainError.numberQuarantined }
        var line = opened
        line.balance = .zero(opened.balance.currency)
        do {
            try await session.insertLine(line)
        } catch StoreError.duplicate {
            throw DomainError.lineExists
        }
        if let transfer {
            try await session.appendTransfer(transfer)
            guard try await session.setBalance(lineID: line.id, to: opened.balance, expected: line.balance, at: now) else {
                throw StoreError.conflict
            }
        }
        return opened
    }

    static func rowError(_ row: Int, _ error: DomainError) -> ImportReport.RowError {
        switch error {
        case .invalidNumber(_, let reason): return .init(row: row, field: "msisdn", message: "invalid number (\(reason)) / 号码无效")
        case .validation(let v): return .init(row: row, field: v.field, message: "\(v.reason.rawValue) / 数据无效")
        default: return .init(row: row, field: "row", message: error.code)
        }
    }
}
