/// Errors the domain services report to channels, each with a stable code the API turns into a
/// problem `type`.
public enum DomainError: Error, Equatable, Sendable {
    case validation(ValidationError)
    case invalidNumber(field: String, MSISDNError)
    case lineNotFound
    case lineExists
    case lineNotRechargeable(LineStatus)
    case planNotFound(String)
    case planExists(String)
    case orderNotFound
    case orderNotCancellable(OrderStatus)
    case receiptNotFound
    /// The idempotency key was used before with a different request.
    case idempotencyKeyReused
    case paymentMethodUnavailable(String)
    case importRejected(ImportReport)
    case policyNotFound(String)
    /// The plan and its policy disagree (currency or monthly fee).
    case policyMismatch(String)
    /// A reclaimed number still in quarantine cannot be given to a new line.
    case numberQuarantined
    /// No member of staff has that username.
    case staffNotFound
    /// No channel by that name.
    case channelNotFound(String)
    /// The channel's policy is at another version than the change expected (`current`).
    case channelPolicyVersionConflict(current: Int)
    /// The payment provider could not be reached, or refused to start the payment.
    case providerUnavailable(String)
    /// An outlet with this code exists already.
    case outletExists(String)
    /// No outlet with this code.
    case outletNotFound(String)
    /// The clerk has an open shift already.
    case shiftAlreadyOpen(String)
    /// No shift with this id that the caller may see.
    case shiftNotFound
    /// The shift is closed: no sales, voids or second close.
    case shiftClosed
    /// The clerk has no open shift to sell in.
    case noOpenShift
    /// Real-name checks are required but the server has no key to keep ID numbers as hashes.
    case idCheckUnavailable
    /// The member of staff's role may not do this (a clerk's own counter work, an operator's reading).
    case staffRoleNotAllowed(StaffRole)
    /// No counter sale with this id that the clerk may void.
    case saleNotFound
    /// A void would take the line below zero: it holds only `available` of the sale's face value.
    case voidNotCovered(available: Money)
    /// The wallet refused the payment code (insufficient funds, an expired code…); nothing was taken.
    case paymentDeclined(String)
    /// The shift still has payment-code sales waiting for the payer; they settle or are cancelled first.
    case shiftHasPendingPayments(Int)
    /// A partner with this code exists already.
    case partnerExists(String)
    /// No partner with this code.
    case partnerNotFound(String)
    /// The partner is disabled: its API keys no longer work.
    case partnerDisabled
    /// The partner used this reference before for another request (another number or amount).
    case referenceReused
    /// The float holds too little for the top-up's cost; nothing was held.
    case insufficientFloat(available: Money, cost: Money)
    /// No top-up with this reference for the partner.
    case partnerTopupNotFound
    /// No callback with this event id for the partner.
    case callbackNotFound
    /// No refund with this id.
    case refundNotFound
    /// Maker-checker: whoever requested a refund cannot also decide it.
    case refundNeedsAnotherApprover
    /// The refund was decided already (approved, rejected, or further on).
    case refundAlreadyDecided(RefundStatus)
    /// More than is left of what was paid; `refundable` is what is left.
    case refundExceedsPaid(refundable: Money)
    /// The line's balance no longer covers the refund; `refundable` is what could be refunded now.
    case refundNotCovered(refundable: Money)
    /// Only a credited (or partly refunded) order's money can be refunded.
    case refundNotAllowed(OrderStatus)
    /// A promotion with this code exists with other rules.
    case promotionExists(String)
    case promotionNotFound(String)
    /// A PIN that cannot be redeemed: unknown, used, frozen, expired or not yet sold — one answer
    /// for all, so that it tells a guesser nothing.
    case voucherRefused
    /// Too many failed redemptions from this number, address or everywhere; try again after.
    case voucherThrottled(retryAfter: Int)
    /// No voucher key (`BAOHAO_VOUCHER_KEY`) is set: PINs can be neither hashed nor checked.
    case voucherKeyMissing
    case voucherNotFound
    /// Too much CPU-heavy work (password hashing) is already waiting; try again after.
    case busy(retryAfter: Int)
    /// The number already has as many unpaid online orders waiting as it may; one expires after.
    case tooManyPendingOrders(retryAfter: Int)

    /// The stable code, e.g. `line-not-found`.
    public var code: String {
        switch self {
        case .validation: return "validation-error"
        case .invalidNumber: return "invalid-msisdn"
        case .lineNotFound: return "line-not-found"
        case .lineExists: return "line-exists"
        case .lineNotRechargeable: return "line-not-rechargeable"
        case .planNotFound: return "plan-not-found"
        case .planExists: return "plan-exists"
        case .orderNotFound: return "order-not-found"
        case .orderNotCancellable: return "order-not-cancellable"
        case .receiptNotFound: return "receipt-not-found"
        case .idempotencyKeyReused: return "idempotency-key-reused"
        case .paymentMethodUnavailable: return "payment-method-unavailable"
        case .importRejected: return "import-rejected"
        case .policyNotFound: return "policy-not-found"
        case .policyMismatch: return "policy-mismatch"
        case .numberQuarantined: return "number-quarantined"
        case .staffNotFound: return "staff-not-found"
        case .channelNotFound: return "channel-not-found"
        case .channelPolicyVersionConflict: return "channel-policy-version-conflict"
        case .providerUnavailable: return "provider-unavailable"
        case .outletExists: return "outlet-exists"
        case .outletNotFound: return "outlet-not-found"
        case .shiftAlreadyOpen: return "shift-already-open"
        case .shiftNotFound: return "shift-not-found"
        case .shiftClosed: return "shift-closed"
        case .staffRoleNotAllowed: return "forbidden"
        case .noOpenShift: return "no-open-shift"
        case .idCheckUnavailable: return "id-check-unavailable"
        case .saleNotFound: return "sale-not-found"
        case .voidNotCovered: return "void-not-covered"
        case .paymentDeclined: return "payment-declined"
        case .shiftHasPendingPayments: return "shift-has-pending-payments"
        case .partnerExists: return "partner-exists"
        case .partnerNotFound: return "partner-not-found"
        case .partnerDisabled: return "partner-disabled"
        // The partner API's two codes are pinned as partners' code matches them: underscores.
        case .referenceReused: return "reference_reused"
        case .insufficientFloat: return "insufficient_float"
        case .partnerTopupNotFound: return "topup-not-found"
        case .callbackNotFound: return "callback-not-found"
        case .refundNotFound: return "refund-not-found"
        case .refundNeedsAnotherApprover: return "refund-needs-another-approver"
        case .refundAlreadyDecided: return "refund-already-decided"
        case .refundExceedsPaid: return "refund-exceeds-paid"
        case .refundNotCovered: return "refund-not-covered"
        case .refundNotAllowed: return "refund-not-allowed"
        case .promotionExists: return "promotion-exists"
        case .promotionNotFound: return "promotion-not-found"
        case .voucherRefused: return "voucher-refused"
        case .voucherThrottled: return "too-many-attempts"
        case .busy: return "busy"
        case .tooManyPendingOrders: return "too-many-pending-orders"
        case .voucherKeyMissing: return "voucher-key-missing"
        case .voucherNotFound: return "voucher-not-found"
        }
    }
}
