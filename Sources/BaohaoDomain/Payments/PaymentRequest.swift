import Foundation

/// What a provider needs to start a payment.
public struct PaymentRequest: Sendable, Hashable {
    public let orderID: String
    public let total: Money
    /// Shown on the provider's page, e.g. `话费充值 138****8000 ¥50.00`.
    public let subject: String
    /// Where the provider sends its notification.
    public let notifyURL: String
    /// Where the payer's browser returns afterwards.
    public let returnURL: String
    public let expiresAt: Date
    /// The payer's browser and address, when the payment is started from one.
    public let payer: PayerDevice?

    public init(
        orderID: String, total: Money, subject: String, notifyURL: String, returnURL: String, expiresAt: Date,
        payer: PayerDevice? = nil
    ) {
        self.orderID = orderID
        self.total = total
        self.subject = subject
        self.notifyURL = notifyURL
        self.returnURL = returnURL
        self.expiresAt = expiresAt
        self.payer = payer
    }
}

/// What the payer's device does next.
public struct PaymentSession: Sendable, Hashable {
    public let provider: String
    /// A page to open (sandbox, Alipay page pay, WeChat H5, UnionPay front URL).
    public let payURL: String?
    /// A payload to show as a QR code (WeChat Native, Alipay precreate).
    public let qrCode: String?
    /// The provider's id for this payment session, kept for later queries (Stripe's `cs_…`).
    public let providerReference: String?

    public init(provider: String, payURL: String?, qrCode: String? = nil, providerReference: String? = nil) {
        self.provider = provider
        self.payURL = payURL
        self.qrCode = qrCode
        self.providerReference = providerReference
    }
}
