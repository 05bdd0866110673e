import BaohaoDomain
import Foundation
import Hummingbird

/// Two-step sign-in for staff (TOTP, RFC 6238): the code step after the password, and
/// `/staff/2fa`, where anyone sets it up (administrators must, before anything else) with a QR
/// code for an authenticator app and gets 10 one-use recovery codes, shown once.
extension StaffConsoleController {
    /// The cookie holding a right password's pending sign-in, for 5 minutes, on the code page only.
    static var secondFactorCookie: String { "bh_staff_2fa" }

    @Sendable func secondFactorForm(_ request: Request, context: Context) async throws -> Response {
        guard request.cookies[Self.secondFactorCookie] != nil else { return Self.signInRedirect() }
        return try secondFactorPage(request, context: context, error: nil, status: .ok)
    }

    func secondFactorPage(_ request: Request, context: Context, error: String?, status: HTTPResponse.Status) throws -> Response {
        let zh = request.language == .zh
        return try page(
            request, context: context, title: zh ? "保号 · 两步验证" : "Baohao · Two-step sign-in", template: StaffTemplates.secondFactor,
            values: [
                "heading": zh ? "两步验证" : "Two-step sign-in", "codeLabel": zh ? "验证器应用中的 6 位验证码" : "The 6-digit code from your app",
                "hint": zh ? "手机丢失时，可输入一个恢复码（每个只能用一次）。" : "Lost your phone? Enter one of your recovery codes (each works once).",
                "submit": zh ? "验证" : "Verify", "error": error ?? "", "hasError": error != nil,
            ], viewer: nil, status: status)
    }

    @Sendable func secondFactor(_ request: Request, context: Context) async throws -> Response {
        let zh = request.language == .zh
        let form = FormDecoding.decode(String(decoding: try await request.bodyBytes(limit: 2 * 1024), as: UTF8.self))
        guard CSRFToken.isValid(request, form: form) else { return try SignInController<Context>.expiredPage(request, context: context) }
        guard let pending = request.cookies[Self.secondFactorCookie]?.value else { return Self.signInRedirect() }
        let code = String((form["code"] ?? "").prefix(32))
        let client = ClientAddress.key(request, context: context, trustedProxies: trustedProxies)
        switch try await staff.completeSignIn(pending: pending, code: code, client: client) {
        case .signedIn(let token, let account, _):
            var response = Response(status: .seeOther, headers: [.location: account.role == .clerk ? "/staff/counter" : "/staff"])
            response.setCookie(
                Cookie(
                    name: Self.sessionCookie, value: token, maxAge: Int(StaffService.sessionLifetime), path: "/staff",
                    secure: secureCookies, httpOnly: true, sameSite: .strict))
            response.setCookie(
                Cookie(
                    name: Self.secondFactorCookie, value: "", maxAge: 0, path: "/staff/signin", secure: secureCookies, httpOnly: true,
                    sameSite: .strict))
            return response
        case .locked(let until):
            let wait = tooManyAttempts(until: until, request.language)
            var response = try secondFactorPage(request, context: context, error: wait.message, status: .tooManyRequests)
            response.headers[.retryAfter] = wait.retryAfter
            return response
        default:
            return try secondFactorPage(
                request, context: context,
                error: zh ? "验证码不正确或已过期；如已超过 5 分钟，请重新登录。" : "Wrong or used code; after 5 minutes, sign in again.",
                status: .unauthorized)
        }
    }

    @Sendable func twoFactorPage(_ request: Request, context: Context) async throws -> Response {
        try await twoFactorView(request, context: context, error: nil, recoveryCodes: [], status: .ok)
    }

    @Sendable func confirmTwoFactor(_ request: Request, context: Context) async throws -> Response {
        let viewer = try context.signedInStaff
        let zh = request.language == .zh
        let form = FormDecoding.decode(String(decoding: try await request.bodyBytes(limit: 1024), as: UTF8.self))
        guard CSRFToken.isValid(request, form: form) else { return try SignInController<Context>.expiredPage(request, context: context) }
        guard let codes = try await staff.confirmEnrolment(viewer, code: String((form["code"] ?? "").prefix(16))) else {
            return try await twoFactorView(
                request, context: context,
                error: zh ? "验证码不正确，请按应用中当前显示的数字输入。" : "That code is not right: enter the one your app shows now.",
                recoveryCodes: [], status: .unprocessableContent)
        }
        return try await twoFactorView(request, context: context, error: nil, recoveryCodes: codes, status: .ok)
    }

    func twoFactorView(
        _ request: Request, context: Context, error: String?, recoveryCodes: [String], status: HTTPResponse.Status
    ) async throws -> Response {
        let viewer = try context.signedInStaff
        let zh = request.language == .zh
        let state = try await staff.twoFactorStatus(viewer)
        var values: [String: Any] = [
            "heading": zh ? "两步验证" : "Two-step sign-in", "error": error ?? "", "hasError": error != nil,
            "required": state.required,
            "requiredText": zh ? "管理员须先设置两步验证，才能使用控制台。" : "Administrators must set up two-step sign-in before using the console.",
            "enabled": state.enabled && recoveryCodes.isEmpty,
            "enabledText": zh
                ? "两步验证已启用。剩余恢复码 \(state.unusedRecoveryCodes) 个；手机和恢复码都丢失时，请管理员运行 baohao staff reset-2fa。"
                : "Two-step sign-in is on. \(state.unusedRecoveryCodes) recovery codes left; if the phone and the codes are lost, an administrator runs baohao staff reset-2fa.",
            "recoveryCodes": recoveryCodes, "hasRecoveryCodes": !recoveryCodes.isEmpty,
            "recoveryIntro": zh
                ? "两步验证已启用。请把下面的恢复码抄下或打印并妥善保存：手机丢失时每个恢复码可代替验证码登录一次。本页关闭后不再显示。"
                : "Two-step sign-in is on. Write down or print these recovery codes and keep them safe: each signs you in once without your phone. They are not shown again.",
            "continue": zh ? "进入控制台" : "Go to the console",
        ]
        if !state.enabled, recoveryCodes.isEmpty, let enrolment = try await staff.enrolment(viewer), let qr = QRCode(enrolment.uri) {
            values["enrol"] = true
            values["enrolIntro"] =
                zh
                ? "用验证器应用（如 Google Authenticator、Microsoft Authenticator、FreeOTP）扫描二维码，再输入应用显示的 6 位验证码。"
                : "Scan the QR code with an authenticator app (Google Authenticator, Microsoft Authenticator, FreeOTP…), then enter the 6-digit code it shows."
            values["qr"] = qr.svg(id: "totp-qr", label: zh ? "验证器二维码" : "Authenticator QR code")
            values["secretLabel"] = zh ? "无法扫码时，手动输入密钥：" : "Cannot scan? Enter this key by hand:"
            values["secret"] = enrolment.secret
            values["codeLabel"] = zh ? "6 位验证码" : "6-digit code"
            values["submit"] = zh ? "启用" : "Turn on"
        }
        return try page(
            request, context: context, title: zh ? "保号 · 两步验证" : "Baohao · Two-step sign-in", template: StaffTemplates.twoFactor,
            values: values, viewer: viewer, status: status)
    }
}
