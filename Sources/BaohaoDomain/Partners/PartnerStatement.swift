import Foundation

/// A partner's float over one Beijing day: what it was at the start, each movement, and what it
/// was at the end. Opening plus the changes is the closing float, by construction of the rows and
/// checked by `baohao verify` against the ledger.
public struct PartnerStatement: Sendable, Hashable {
    public let partnerCode: String
    public let day: LocalDate
    public let opening: PartnerFloat
    public let movements: [FloatMovement]

    public init(partnerCode: String, day: LocalDate, opening: PartnerFloat, movements: [FloatMovement]) {
        self.partnerCode = partnerCode
        self.day = day
        self.opening = opening
        self.movements = movements
    }

    public var closing: PartnerFloat { movements.last?.after ?? opening }

    /// The CSV partners download: a header, an `opening` row, one row a movement, a `closing` row.
    /// Amounts are decimal yuan; changes are signed.
    public var csv: String {
        let zone = Deadline.mainlandTimeZone
        var lines = ["time,type,reference,topup_id,available_change,held_change,available,held,currency"]
        func time(_ date: Date) -> String { Timestamp.formatLocal(date, in: zone) }
        let currency = opening.currency.code
        lines.append(
            "\(time(day.startOfDay(in: zone))),opening,,,,,\(opening.available.decimalString),\(opening.held.decimalString),\(currency)")
        for movement in movements {
            lines.append(
                [
                    time(movement.at), movement.kind.rawValue, Self.field(movement.reference), movement.topupID ?? "",
                    movement.availableChange.decimalString, movement.heldChange.decimalString, movement.after.available.decimalString,
                    movement.after.held.decimalString, currency,
                ].joined(separator: ","))
        }
        let end = day.adding(days: 1).startOfDay(in: zone) - 0.001
        lines.append("\(time(end)),closing,,,,,\(closing.available.decimalString),\(closing.held.decimalString),\(currency)")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A CSV field: quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-` or
    /// `@` is prefixed with `'` so a spreadsheet does not run it as a formula.
    static func field(_ text: String) -> String { SpreadsheetText.csvField(text) }
}
