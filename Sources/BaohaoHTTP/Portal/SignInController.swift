import BaohaoDomain
import Foundation
import Hummingbird

/// Sign-in by SMS one-time code, and proving another number for a signed-in account.
struct SignInController<Context: BrowserSessionContext> {
    /// Cookies are marked Secure when payers reach the server over https.
    let secureCookies: Bool
    let subscribers: SubscriberService
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    let trustedProxies: Set<String>

    static var sessionCookie: String { BrowserSessionAudience.subscriberCookie }

    func addRoutes(to router: Router<Context>) {
        router.group().add(middleware: BrowserSessionMiddleware(.subscriber(self.subscribers), required: false))
            .get("/signin", use: signInForm)
        router.post("/signin", use: requestSignInCode)
        router.get("/signin/verify", use: signInCodeForm)
        router.post("/signin/verify", use: verifySignIn)
        router.post("/signout", use: signOut)
        router.group().add(middleware: BrowserSessionMiddleware(.subscriber(self.subscribers), required: true))
            .get("/me/add", use: addForm)
            .post("/me/add", use: requestAddCode)
            .get("/me/add/verify", use: addCodeForm)
            .post("/me/add/verify", use: verifyAdd)
    }

    /// The per-client key for rate limits: a hash of the client's address (see ``ClientAddress``).
    func clientKey(_ request: Request, context: Context) -> String {
        ClientAddress.key(request, context: context, trustedProxies: self.trustedProxies)
    }

    // MARK: Pages

    struct Form {
        var number = ""
        var error: String?
        var status: HTTPResponse.Status = .ok
        var consented = false
    }

    func numberPage(_ request: Request, context: Context, adding: Bool, form: Form) throws -> Response {
        let language = request.language
        let values: [String: Any] = [
            "heading": adding ? (language == .zh ? "添加号码" : "Add a number") : (language == .zh ? "短信验证码登录" : "Sign in with an SMS code"),
            "intro": adding
                ? (language == .zh ? "验证码会发送到要添加的号码，证明它在您手中。" : "We send a code to the number you add, to prove you hold it.")
                : (language == .zh
                    ? "登录后可查看余额、保号截止日、充值记录和凭证，并设置提醒。"
                    : "Signed in, you see balances, deadlines, recharges and receipts, and set reminders."),
            "action": adding ? "/me/add" : "/signin", "number": form.number,
            "numberLabel": language == .zh ? "手机号码" : "Phone number",
            "submit": language == .zh ? "获取验证码" : "Send me a code",
            "unavailable": !self.subscribers.canSendCodes,
            "unavailableText": language == .zh ? "短信登录暂未开通。" : "SMS sign-in is not available on this server.",
            "error": form.error ?? "", "hasError": form.error != nil,
            "consented": form.consented, "consentBefore": language == .zh ? "我已阅读并同意" : "I have read and agree to the ",
            "termsName": language == .zh ? "《用户协议》" : "User agreement", "consentAnd": language == .zh ? "和" : " and the ",
            "privacyName": language == .zh ? "《隐私政策》" : "Privacy policy",
            "consentAfter": language == .zh ? "，同意向该号码发送验证码短信。" : ", and to an SMS code being sent to this number.",
        ]
        return try CSRFToken.page(
            request, title: language == .zh ? "保号 · 登录" : "Baohao · Sign in", template: AccountTemplates.number, values: values,
            status: form.status, secure: self.secureCookies
        ).response(from: request, context: context)
    }

    func codePage(
        _ request: Request, context: Context, adding: Bool, challenge: String, error: String?, status: HTTPResponse.Status = .ok,
        sentTo: String? = nil, wait: Int = 0
    ) throws -> Response {
        let language = request.language
        let values: [String: Any] = [
            "sentTo": sentTo.map { language == .zh ? "验证码发送至 \($0)" : "Code sent to \($0)" } ?? false,
            "wait": wait > 0 ? String(wait) : false,
            "againWaiting": language == .zh ? "{s} 秒后可重新获取" : "Ask again in {s} s",
            "heading": language == .zh ? "输入验证码" : "Enter the code",
            "intro": language == .zh
                ? "如果该号码在本平台开通，验证码已通过短信发送，5 分钟内有效。"
                : "If the number is in service here, a code is on its way by SMS; it is valid for 5 minutes.",
            "action": adding ? "/me/add/verify" : "/signin/verify", "challenge": challenge,
            "codeLabel": language == .zh ? "6 位验证码" : "6-digit code", "submit": language == .zh ? "验证" : "Verify",
            "again": language == .zh ? "没收到？重新获取" : "No code? Ask again", "againHref": adding ? "/me/add" : "/signin",
            "error": error ?? "", "hasError": error != nil,
        ]
        return try CSRFToken.page(
            request, title: language == .zh ? "保号 · 验证码" : "Baohao · Code", template: AccountTemplates.code, values: values,
            status: status, secure: self.secureCookies
        ).response(from: request, context: context)
    }

    static func expiredPage(_ request: Request, context: Context) throws -> Response {
        let language = request.language
        return try HTMLResponse(
            html: MessagePage.render(
                title: language == .zh ? "页面已失效" : "This page has expired",
                message: language == .zh ? "为了您的安全，请返回重新操作。" : "For your safety, go back and try again.", language: language),
            status: .forbidden
        ).response(from: request, context: context)
    }

    // MARK: Sign in

    @Sendable func signInForm(_ request: Request, context: Context) async throws -> Response {
        if context.subscriber != nil { return Response(status: .seeOther, headers: [.location: "/me"]) }
        return try numberPage(request, context: context, adding: false, form: Form())
    }

    @Sendable func requestSignInCode(_ request: Request, context: Context) async throws -> Response {
        try await requestCode(request, context: context, accountID: nil)
    }

    func requestCode(_ request: Request, context: Context, accountID: String?) async throws -> Response {
        let language = request.language
        let form = FormDecoding.decode(String(decoding: try await request.bodyBytes(limit: 2 * 1024), as: UTF8.self))
        guard CSRFToken.isValid(request, form: form) else { return try Self.expiredPage(request, context: context) }
        let number = String((form["msisdn"] ?? "").prefix(32))
        let adding = accountID != nil
        // PIPL: nothing is sent to a number before the user agreement and privacy policy are agreed to.
        guard form["consent"] == "1" else {
            let message =
                language == .zh
                ? "请先阅读并勾选同意《用户协议》和《隐私政策》。" : "Read and tick your agreement to the user agreement and the privacy policy first."
            return try numberPage(
                request, context: context, adding: adding, form: Form(number: number, error: message, status: .unprocessableContent))
        }
        let result: SubscriberService.CodeRequest
        do {
            result = try await self.subscribers.requestCode(
                msisdn: number, purpose: adding ? .addNumber : .signIn, accountID: accountID,
                clientKey: clientKey(request, context: context),
                language: language)
        } catch let error as DomainError {
            return try numberPage(
                request, context: context, adding: adding,
                form: Form(number: number, error: Messages.problemTitle(error.code, language), status: .unprocessableContent))
        } catch {
            return try numberPage(
                request, context: context, adding: adding,
                form: Form(
                    number: number, error: language == .zh ? "短信发送失败，请稍后再试。" : "The SMS could not be sent; try again later.",
                    status: .serviceUnavailable))
        }
        switch result {
        case .sent(let challenge):
            // The masked number rides along so that the code page can say where the code went.
            let masked = (try? MSISDN(parsing: number))?.masked.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            return Response(status: .seeOther, headers: [.location: "\(adding ? "/me/add" : "/signin")/verify?c=\(challenge)&to=\(masked)"])
        case .tooSoon(let seconds):
            let message = language == .zh ? "请在 \(seconds) 秒后再获取验证码。" : "Wait \(seconds) seconds before asking for another code."
            return try numberPage(
                request, context: context, adding: adding,
                form: Form(number: number, error: message, status: .tooManyRequests, consented: true))
        case .tooMany:
            let message = language == .zh ? "验证码请求过于频繁，请一小时后再试。" : "Too many codes asked for; try again in an hour."
            return try numberPage(
                request, context: context, adding: adding, form: Form(number: number, error: message, status: .tooManyRequests))
        case .unavailable:
            let message = language == .zh ? "短信登录暂未开通。" : "SMS sign-in is not available on this server."
            return try numberPage(
                request, context: context, adding: adding, form: Form(number: number, error: message, status: .serviceUnavailable))
        }
    }

    @Sendable func signInCodeForm(_ request: Request, context: Context) async throws -> Response {
        let challenge = String(request.uri.queryParameters.get("c") ?? "").prefix(64)
        return try codePage(
            request, context: context, adding: false, challenge: String(challenge), error: nil, sentTo: Self.sentTo(request),
            wait: Int(SubscriberService.resendInterval))
    }

    /// The masked number from the code page's query, if it looks like one (`138****8000`).
    static func sentTo(_ request: Request) -> String? {
        guard let raw = request.uri.queryParameters.get("to"), (7...20).contains(raw.count),
            raw.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "*" || $0 == "+") }), raw.contains("****")
        else { return nil }
        return String(raw)
    }

    @Sendable func verifySignIn(_ request: Request, context: Context) async throws -> Response {
        try await verify(request, context: context, accountID: nil)
    }

    func verify(_ request: Request, context: Context, accountID: String?) async throws -> Response {
        let language = request.language
        let form = FormDecoding.decode(String(decoding: try await request.bodyBytes(limit: 2 * 1024), as: UTF8.self))
        guard CSRFToken.isValid(request, form: form) else { return try Self.expiredPage(request, context: context) }
        let challenge = String((form["challenge"] ?? "").prefix(64))
        let adding = accountID != nil
        switch try await self.subscribers.verify(
            challengeID: challenge, code: String((form["code"] ?? "").prefix(12)), accountID: accountID)
        {
        case .signedIn(let token, _):
            var response = Response(status: .seeOther, headers: [.location: "/me"])
            response.setCookie(
                Cookie(
                    name: Self.sessionCookie, value: token, maxAge: Int(SubscriberService.sessionLifetime), path: "/",
                    secure: self.secureCookies,
                    httpOnly: true, sameSite: .lax))
            return response
        case .numberAdded:
            return Response(status: .seeOther, headers: [.location: "/me"])
        case .wrongCode(let left):
            let message = language == .zh ? "验证码不正确，还可以再试 \(left) 次。" : "That code is not right; \(left) tries left."
            return try codePage(
                request, context: context, adding: adding, challenge: challenge, error: message, status: .unprocessableContent)
        case .expired:
            let message = language == .zh ? "验证码已失效，请重新获取。" : "The code has expired; ask for a new one."
            return try codePage(
                request, context: context, adding: adding, challenge: challenge, error: message, status: .unprocessableContent)
        case .locked:
            let message = language == .zh ? "错误次数过多，请一小时后再试。" : "Too many wrong codes; try again in an hour."
            return try codePage(request, context: context, adding: adding, challenge: challenge, error: message, status: .tooManyRequests)
        }
    }

    @Sendable func signOut(_ request: Request, context: Context) async throws -> Response {
        let form = FormDecoding.decode(String(decoding: try await request.bodyBytes(limit: 1024), as: UTF8.self))
        guard CSRFToken.isValid(request, form: form) else { return try Self.expiredPage(request, context: context) }
        if let token = request.cookies[Self.sessionCookie]?.value {
            if form["calendar"] == "revoke", let session = try await self.subscribers.authenticate(token: token) {
                try await self.subscribers.revokeCalendarKey(accountID: session.accountID)
            }
            try await self.subscribers.signOut(token: token)
        }
        var response = Response(status: .seeOther, headers: [.location: "/"])
        response.setCookie(
            Cookie(
                name: Self.sessionCookie, value: "", maxAge: 0, path: "/", secure: self.secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    // MARK: Add a number

    @Sendable func addForm(_ request: Request, context: Context) async throws -> Response {
        return try numberPage(request, context: context, adding: true, form: Form())
    }

    @Sendable func requestAddCode(_ request: Request, context: Context) async throws -> Response {
        try await requestCode(request, context: context, accountID: try context.signedInSubscriber.accountID)
    }

    @Sendable func addCodeForm(_ request: Request, context: Context) async throws -> Response {
        let challenge = String(request.uri.queryParameters.get("c") ?? "").prefix(64)
        return try codePage(
            request, context: context, adding: true, challenge: String(challenge), error: nil, sentTo: Self.sentTo(request),
            wait: Int(SubscriberService.resendInterval))
    }

    @Sendable func verifyAdd(_ request: Request, context: Context) async throws -> Response {
        try await verify(request, context: context, accountID: try context.signedInSubscriber.accountID)
    }
}
