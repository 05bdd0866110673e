import Mustache

/// The subscriber portal's page bodies (inside ``PageLayout``).
enum PortalTemplates {
    static let home = try! MustacheTemplate(
        string: """
            <h1>{{heading}}</h1>
            <div class="card">
            <p>{{intro}}</p>
            {{#hasError}}<p class="error" role="alert" id="form-error">{{error}}</p>{{/hasError}}
            <form method="get" action="/recharge">
            <label for="msisdn">{{numberLabel}}</label>
            <input type="tel" id="msisdn" name="msisdn" value="{{number}}" required maxlength="32" autocomplete="tel" inputmode="tel" aria-describedby="msisdn-hint"{{#hasError}} aria-invalid="true"{{/hasError}} autofocus>
            <p class="note" id="msisdn-hint">{{numberHint}}</p>
            <button type="submit">{{next}}</button>
            </form>
            </div>
            """)

    static let recharge = try! MustacheTemplate(
        string: """
            <h1>{{heading}}</h1>
            <div class="card">
            <table>
            {{#rows}}<tr><th>{{{label}}}</th><td{{#id}} id="{{id}}"{{/id}}>{{value}}</td></tr>
            {{/rows}}
            </table>
            <p class="note">{{checkNote}}</p>
            {{#outOfService}}<div class="warning" role="note" id="restore-note"><p><strong>{{outOfServiceHeading}}</strong></p><p>{{outOfServiceText}}</p></div>{{/outOfService}}
            </div>
            <form method="post" action="/recharge" class="card">
            {{#hasError}}<p class="error" role="alert" id="form-error">{{error}}</p>{{/hasError}}
            <input type="hidden" name="csrf" value="{{csrf}}">
            <input type="hidden" name="key" value="{{key}}">
            <input type="hidden" name="msisdn" value="{{msisdn}}">
            <fieldset aria-describedby="amount-note">
            <legend>{{amountLegend}}</legend>
            <p class="note" id="amount-note">{{minimumNote}}</p>
            <div class="grid">
            {{#amounts}}<div class="choice"><input type="radio" name="amount" id="{{id}}" value="{{value}}"{{#checked}} checked{{/checked}}><label for="{{id}}">{{label}}{{#bonus}}<span class="promo">{{bonus}}</span>{{/bonus}}{{#restores}}<span class="promo restores">{{restoresLabel}}</span>{{/restores}}</label></div>
            {{/amounts}}
            </div>
            {{#custom}}<div class="choice custom"><input type="radio" name="amount" id="amount-other" value="other"{{#customChecked}} checked{{/customChecked}}><label for="amount-other">{{customLabel}}</label>
            <input type="text" name="custom_amount" id="custom-amount" inputmode="numeric" maxlength="7" autocomplete="off" value="{{customValue}}" aria-label="{{customAria}}" aria-describedby="amount-note"><span class="unit">{{customUnit}}</span></div>{{/custom}}
            {{#hasPromotions}}<div class="promotions" id="promotions"><p><strong>{{promotionsHeading}}</strong></p><ul>
            {{#promotions}}<li>{{.}}</li>{{/promotions}}
            </ul><p class="note">{{promotionsNote}}</p></div>{{/hasPromotions}}
            </fieldset>
            <fieldset>
            <legend>{{methodLegend}}</legend>
            <div class="grid">
            {{#methods}}<div class="choice"><input type="radio" name="method" id="{{id}}" value="{{value}}"{{#checked}} checked{{/checked}}><label for="{{id}}">{{label}}</label></div>
            {{/methods}}
            </div>
            </fieldset>
            <button type="submit" id="confirm">{{submit}}</button>
            </form>
            <form method="post" action="/recharge/voucher" class="card" id="voucher">
            <h2>{{voucherHeading}}</h2>
            {{#hasVoucherError}}<p class="error" role="alert" id="voucher-error">{{voucherError}}</p>{{/hasVoucherError}}
            <p class="note" id="voucher-note">{{voucherNote}}</p>
            <input type="hidden" name="csrf" value="{{csrf}}">
            <input type="hidden" name="msisdn" value="{{msisdn}}">
            <label for="pin">{{pinLabel}}</label>
            <input type="text" id="pin" name="pin" inputmode="numeric" autocomplete="off" maxlength="30" required aria-describedby="voucher-note">
            <button type="submit" id="redeem" class="secondary">{{voucherSubmit}}</button>
            </form>
            """)
}
