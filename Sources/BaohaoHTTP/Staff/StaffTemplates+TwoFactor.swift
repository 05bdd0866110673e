import Mustache

extension StaffTemplates {
    /// The second step of a sign-in: the app's code, or a recovery code.
    static let secondFactor = try! MustacheTemplate(
        string: """
            <h1>{{heading}}</h1>
            <div class="card">
            {{#hasError}}<p class="error" role="alert" id="form-error">{{error}}</p>{{/hasError}}
            <form method="post" action="/staff/signin/code">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <label for="code">{{codeLabel}}</label>
            <input type="text" id="code" name="code" required maxlength="32" inputmode="numeric" autocomplete="one-time-code" autocapitalize="none" autofocus>
            <p class="note">{{hint}}</p>
            <p><button type="submit" id="staff-code-submit">{{submit}}</button></p>
            </form>
            </div>
            """)

    /// Two-step sign-in: the state, or the QR code and secret to enrol, or the recovery codes once.
    static let twoFactor = try! MustacheTemplate(
        string: menu + """
            <h1>{{heading}}</h1>
            <div class="card" id="two-factor">
            {{#hasError}}<p class="error" role="alert" id="form-error">{{error}}</p>{{/hasError}}
            {{#required}}<p class="error" role="alert" id="two-factor-required">{{requiredText}}</p>{{/required}}
            {{#enabled}}<p class="note" role="status" id="two-factor-enabled">{{enabledText}}</p>{{/enabled}}
            {{#hasRecoveryCodes}}
            <p>{{recoveryIntro}}</p>
            <ol id="recovery-codes">{{#recoveryCodes}}<li><code>{{.}}</code></li>{{/recoveryCodes}}</ol>
            <p><a class="button" href="/staff">{{continue}}</a></p>
            {{/hasRecoveryCodes}}
            {{#enrol}}
            <p>{{enrolIntro}}</p>
            <div class="qr">{{{qr}}}</div>
            <p>{{secretLabel}} <code id="totp-secret">{{secret}}</code></p>
            <form method="post" action="/staff/2fa">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <label for="code">{{codeLabel}}</label>
            <input type="text" id="code" name="code" required maxlength="6" inputmode="numeric" autocomplete="one-time-code">
            <p><button type="submit" id="two-factor-confirm">{{submit}}</button></p>
            </form>
            {{/enrol}}
            </div>
            """)
}
