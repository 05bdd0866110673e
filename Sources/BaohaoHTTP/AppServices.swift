import BaohaoDomain
import BaohaoPayments
import BaohaoSecurity
import Foundation
import Logging
import Prometheus

/// Everything the HTTP layer calls: the domain services, the enabled payment providers, the
/// admin credential and the metrics registry.
public struct AppServices: Sendable {
    public let lines: LineService
    public let recharges: RechargeService
    public let admin: AdminService
    public let payments: PaymentProviderRegistry
    /// Starting an order's payment at its provider, and the payment kept for it.
    public let checkout: PaymentService
    /// The sandbox's provider side (payment page, notification delivery), when the sandbox is enabled.
    public let sandboxGateway: SandboxGateway?
    public let store: any BaohaoDatabase
    /// Each channel's amount, fee and payment-method rules (operator data).
    public let channelPolicies: ChannelPolicyService
    /// `BAOHAO_ADMIN_TOKEN`; `nil` disables the admin API (every call is 401).
    public let adminToken: String?
    /// Where this server is reached, for links and notify URLs.
    public let publicBaseURL: String
    public let metrics: BaohaoMetrics
    public let clock: any WallClock
    public let merchant: MerchantInfo
    public let reconciliation: ReconciliationService
    public let settlement: SettlementService
    public let retention: RetentionService
    public let reminders: ReminderService
    /// Authenticates Kannel's inbound-SMS and delivery-report callbacks; `nil` turns them off.
    public let smsCallbackSecret: String?
    /// Subscriber sign-in by SMS code, their numbers and sessions.
    public let subscribers: SubscriberService
    /// Staff accounts, console sign-in and what the console shows.
    public let staff: StaffService
    /// Business halls (营业厅).
    public let outlets: OutletService
    /// Clerks' shifts at the counter.
    public let shifts: ShiftService
    /// Sales at the counter.
    public let counterSales: CounterSaleService
    /// Receipts with their counter details, and the thermal printer's log.
    public let receipts: ReceiptService
    /// Reverse proxies whose `X-Forwarded-For` names the client (for per-client limits).
    public let trustedProxies: Set<String>
    /// The IVR hotline behind FastAGI and the TwiML webhooks.
    public let ivr: IVRService
    /// Twilio's auth token, which signs its webhooks; `nil` turns the TwiML endpoints off (404).
    public let twilioAuthToken: String?
    /// Twilio's name for the payment connector `<Pay>` charges through (`BAOHAO_TWILIO_PAY_CONNECTOR`).
    public let twilioPaymentConnector: String
    /// 第三方平台: partners, their top-ups and their callbacks.
    public let partners: PartnerService
    public let partnerTopups: PartnerTopupService
    public let partnerCallbacks: PartnerCallbackService
    /// Wakes the callback deliverer when a callback was queued.
    public let callbackSignal: CallbackSignal
    /// 退费: maker-checker refunds, automatic refunds of money that could not be credited.
    public let refunds: RefundService
    /// 优惠活动: promotions, offered on orders and paid inside the credit.
    public let promotions: PromotionService
    /// 充值卡: recharge cards issued, sold, frozen and redeemed.
    public let vouchers: VoucherService
    /// Text commands to the service number (SMS): balance, card redemption, help.
    public let textCommands: TextCommandService
    /// The USSD menu, and what authenticates the gateway's callbacks.
    public let ussd: USSDService
    public let ussdSecret: String?
    public let ussdAllowedIPs: Set<String>
    /// What a Prometheus scraper presents for `/metrics` (the admin token works too).
    public let metricsToken: String?
    /// The anonymous number lookup's budgets: per client address a minute, and over the process a second.
    public let lookupPerAddressPerMinute: Int
    public let lookupGlobalPerSecond: Int
    /// Anonymous orders an hour from one client address (`nil`: no limit).
    public let ordersPerAddressPerHour: Int?
    /// Payers waiting on the order page's live updates, served by one reader.
    public let orderWatch: OrderWatch

    /// The enabled providers that take payment codes: Alipay's and WeChat Pay's adapters, and the
    /// sandbox's codes wherever the sandbox is enabled (demos and tests).
    static func codeGateways(_ payments: PaymentProviderRegistry, clock: any WallClock) -> [any CodePaymentGateway] {
        payments.providers.flatMap { provider -> [any CodePaymentGateway] in
            if let sandbox = provider as? SandboxProvider { return [SandboxCodePayments(provider: sandbox, clock: clock)] }
            if let gateway = provider as? any CodePaymentGateway { return [gateway] }
            return []
        }.sorted { $0.name != "sandbox" && $1.name == "sandbox" }
    }

    public init(
        store: any BaohaoDatabase, clock: any WallClock, payments: PaymentProviderRegistry,
        sandboxGateway: SandboxGateway?, adminToken: String?, publicBaseURL: String, orderTimeToLive: TimeInterval = 30 * 60,
        merchant: MerchantInfo = MerchantInfo(name: "保号 Baohao", supportLine: "—"),
        reconciliationPolicy: ReconciliationPolicy = ReconciliationPolicy(),
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), policies: PolicyBook = .shippedBook,
        reminderSenders: [any ReminderSender] = [], defaultReminderChannels: [ReminderChannel] = [.sms], smsCallbackSecret: String? = nil,
        codeSender: (any TextMessageSender)? = nil, passwordHasher: any PasswordHasher = Bcrypt(),
        hashing: any HashingExecutor = InlineHashing(),
        trustedProxies: Set<String> = [],
        idHashKey: Data? = nil, counterRealNameRequired: Bool = true, codeSchedule: CodePaymentSchedule = .standard,
        sleeper: any Clock<Duration> = ContinuousClock(), twilioAuthToken: String? = nil, twilioPaymentConnector: String = "Default",
        partnerSecrets: PartnerSecretBox = .ephemeral(), callbackTransport: any CallbackTransport = UnreachableCallbackTransport(),
        callbackSchedule: CallbackSchedule = .standard, refundSchedule: RefundSchedule = .standard, voucherKey: Data? = nil,
        voucherLimits: VoucherThrottle.Limits = .standard, ussdSecret: String? = nil, ussdAllowedIPs: Set<String> = [],
        metricsToken: String? = nil, lookupPerAddressPerMinute: Int = 60, lookupGlobalPerSecond: Int = 2_000,
        orderWatchLimits: OrderWatch.Limits = OrderWatch.Limits(), ordersPerAddressPerHour: Int? = nil,
        staffTwoFactorBox: PartnerSecretBox? = nil, adminsNeedTwoFactor: Bool = false,
        pendingOrdersPerNumber: Int? = nil
    ) {
        self.ordersPerAddressPerHour = ordersPerAddressPerHour
        self.orderWatch = OrderWatch(store: store, clock: clock, limits: orderWatchLimits)
        self.metricsToken = metricsToken
        self.lookupPerAddressPerMinute = lookupPerAddressPerMinute
        self.lookupGlobalPerSecond = lookupGlobalPerSecond
        self.ussdSecret = ussdSecret
        self.ussdAllowedIPs = ussdAllowedIPs
        let vouchers = VoucherService(store: store, clock: clock, key: voucherKey, retention: policies, limits: voucherLimits)
        self.vouchers = vouchers
        self.twilioAuthToken = twilioAuthToken
        self.twilioPaymentConnector = twilioPaymentConnector
        self.trustedProxies = trustedProxies
        self.subscribers = SubscriberService(store: store, clock: clock, sender: codeSender)
        self.outlets = OutletService(store: store, clock: clock)
        self.shifts = ShiftService(store: store, clock: clock)
        self.receipts = ReceiptService(store: store, clock: clock)
        self.staff = StaffService(
            store: store, hasher: passwordHasher, clock: clock, book: policies, hashing: hashing, twoFactorBox: staffTwoFactorBox,
            adminsNeedTwoFactor: adminsNeedTwoFactor)
        self.retention = RetentionService(store: store, clock: clock, book: policies, defaultChannels: defaultReminderChannels)
        let reminders = ReminderService(store: store, clock: clock, book: policies, senders: reminderSenders)
        self.reminders = reminders
        let textCommands = TextCommandService(store: store, reminders: reminders, vouchers: vouchers, retention: policies, clock: clock)
        self.textCommands = textCommands
        self.ussd = USSDService(store: store, commands: textCommands, reminders: reminders, clock: clock)
        self.smsCallbackSecret = smsCallbackSecret
        self.merchant = merchant
        self.store = store
        self.clock = clock
        self.lines = LineService(store: store, clock: clock, retention: policies)
        let channelPolicies = ChannelPolicyService(repository: store, clock: clock)
        self.channelPolicies = channelPolicies
        self.recharges = RechargeService(
            store: store, clock: clock, channelPolicies: channelPolicies, orderTimeToLive: orderTimeToLive, retention: policies,
            pendingOrdersPerNumber: pendingOrdersPerNumber)
        self.admin = AdminService(store: store, clock: clock, retention: policies)
        self.counterSales = CounterSaleService(
            store: store, recharges: recharges, clock: clock, idHashKey: idHashKey, realNameRequired: counterRealNameRequired,
            retention: policies, codeGateways: Self.codeGateways(payments, clock: clock), schedule: codeSchedule, sleeper: sleeper)
        let metrics = BaohaoMetrics(registry: registry)
        self.ivr = IVRService(
            store: store, recharges: recharges, clock: clock, retention: policies, cards: Self.cardPayments(payments, clock: clock),
            texts: codeSender, promotions: PromotionService(store: store, clock: clock), vouchers: vouchers,
            observe: { metrics.ivr($0) })
        let signal = CallbackSignal()
        self.callbackSignal = signal
        self.partners = PartnerService(store: store, clock: clock, secrets: partnerSecrets)
        self.partnerTopups = PartnerTopupService(
            store: store, clock: clock, channelPolicies: channelPolicies, retention: policies, callbackQueued: { signal.notify() })
        self.partnerCallbacks = PartnerCallbackService(
            store: store, partners: partners, transport: callbackTransport, clock: clock, schedule: callbackSchedule)
        self.reconciliation = ReconciliationService(store: store, clock: clock, policy: reconciliationPolicy)
        self.settlement = SettlementService(store: store, clock: clock)
        self.payments = payments
        self.refunds = RefundService(
            store: store, gateways: PaymentGateways(payments.providers), clock: clock, schedule: refundSchedule)
        self.promotions = PromotionService(store: store, clock: clock)
        self.checkout = PaymentService(store: store, clock: clock, publicBaseURL: publicBaseURL)
        self.sandboxGateway = sandboxGateway
        self.adminToken = adminToken
        self.publicBaseURL = publicBaseURL
        self.metrics = metrics
    }

    /// The port keyed-in cards are charged through: the sandbox's test cards wherever the sandbox
    /// is enabled. (No live card acquirer takes keyed-in card data yet; see README.)
    static func cardPayments(_ payments: PaymentProviderRegistry, clock: any WallClock) -> (any CardPayment)? {
        payments.providers.contains { $0 is SandboxProvider } ? SandboxCardPayments(clock: clock) : nil
    }
}

extension AppServices {
    /// Cookies are marked Secure when payers reach the server over https.
    var secureCookies: Bool { publicBaseURL.hasPrefix("https://") }

    /// The reconciler over these services.
    public func reconciler(logger: Logger) -> Reconciler {
        Reconciler(
            recharges: recharges, reconciliation: reconciliation, gateways: payments.gateways, clock: clock,
            note: Reconciler.log(to: logger))
    }
}
