import Mustache

/// The clerk's counter pages and the shift reports in the staff console (inside ``PageLayout``).
enum CounterTemplates {
    static let menu = """
        <p class="noprint" id="staff-menu">{{#isClerk}}<a href="/staff/counter">{{menuCounter}}</a> · {{/isClerk}}{{^isClerk}}<a href="/staff">{{menuDashboard}}</a> · {{/isClerk}}<a href="/staff/shifts">{{menuShifts}}</a> · {{who}}
        <form method="post" action="/staff/signout" style="display:inline"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="secondary" id="staff-sign-out">{{signOut}}</button></form></p>
        """

    static let counter = try! MustacheTemplate(
        string: menu + """
            <h1>{{heading}}</h1>
            {{#hasError}}<p class="error" role="alert" id="form-error">{{error}}</p>{{/hasError}}
            {{#notice}}<section class="card" id="notice" aria-live="polite"><p class="status {{noticeClass}}">{{noticeText}}</p>
            {{#noticeReceipt}}<p><a class="button" id="print-receipt" href="/receipts/{{noticeReceipt}}" target="_blank">{{printPageLabel}}</a>
            <a class="button secondary" id="print-escpos" href="/receipts/{{noticeReceipt}}/escpos?width=58">{{escposLabel}}</a></p>{{/noticeReceipt}}</section>{{/notice}}
            {{^shift}}
            <section class="card" id="open-shift"><h2>{{openHeading}}</h2>
            <form method="post" action="/staff/counter/shift"><input type="hidden" name="csrf" value="{{csrf}}">
            <label for="opening_float">{{floatLabel}}</label><input type="text" inputmode="decimal" id="opening_float" name="opening_float" value="0.00" required autofocus>
            <p><button type="submit" id="open-shift-button">{{openButton}}</button></p></form></section>
            {{/shift}}
            {{#shift}}
            <section class="card" id="lookup"><h2>{{lookupHeading}}</h2>
            <form method="get" action="/staff/counter"><label for="lookup-msisdn">{{numberLabel}}</label>
            <input type="tel" id="lookup-msisdn" name="msisdn" value="{{query}}" maxlength="20" autocomplete="off" {{^found}}autofocus{{/found}}>
            <p><button type="submit" class="secondary" id="lookup-button">{{lookupButton}}</button></p></form>
            {{#found}}<table id="lookup-result">{{#lookupRows}}<tr><th>{{{label}}}</th><td>{{value}}</td></tr>{{/lookupRows}}</table>{{/found}}
            </section>
            <section class="card" id="sell"><h2>{{sellHeading}}</h2>
            <form method="post" action="/staff/counter/sales" id="sale-form"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="key" value="{{saleKey}}">
            <label for="msisdn">{{numberLabel}}</label><input type="tel" id="msisdn" name="msisdn" value="{{query}}" required maxlength="20" autocomplete="off" {{#found}}autofocus{{/found}}>
            <fieldset><legend>{{amountLabel}}</legend><div class="grid">
            {{#denominations}}<div class="choice"><input type="radio" name="amount" id="amount-{{minor}}" value="{{yuan}}" {{#checked}}checked{{/checked}}><label for="amount-{{minor}}">{{text}}{{#bonus}}<span class="promo">{{bonus}}</span>{{/bonus}}</label></div>{{/denominations}}
            </div>
            {{#hasPromotions}}<div class="promotions" id="promotions"><ul>{{#promotions}}<li>{{.}}</li>{{/promotions}}</ul></div>{{/hasPromotions}}
            </fieldset>
            <fieldset><legend>{{tenderLabel}}</legend><div class="grid">
            {{#tenders}}<div class="choice"><input type="radio" name="tender" id="tender-{{code}}" value="{{code}}" {{#checked}}checked{{/checked}}><label for="tender-{{code}}">{{text}}</label></div>{{/tenders}}
            </div></fieldset>
            <label for="tendered">{{tenderedLabel}}</label><input type="text" inputmode="decimal" id="tendered" name="tendered" autocomplete="off">
            <label for="card_terminal_ref">{{terminalLabel}}</label><input type="text" id="card_terminal_ref" name="card_terminal_ref" maxlength="64" autocomplete="off">
            <label for="payment_code">{{codeLabel}}</label><input type="text" inputmode="numeric" id="payment_code" name="payment_code" maxlength="24" autocomplete="off">
            {{#realName}}<label for="id_number">{{idLabel}}</label><input type="text" id="id_number" name="id_number" maxlength="18" autocomplete="off" required>{{/realName}}
            <p><button type="submit" id="sell-button">{{sellButton}}</button></p></form></section>
            <section class="card" id="shift"><h2>{{shiftHeading}}</h2>
            <table id="x-report">{{#xRows}}<tr><th>{{{label}}}</th><td>{{value}}</td></tr>{{/xRows}}</table>
            {{#hasSales}}<table tabindex="0" id="sales" class="list"><tr><th scope="col">{{timeLabel}}</th><th scope="col">{{numberLabel}}</th><th scope="col">{{amountLabel}}</th><th scope="col">{{statusLabel}}</th></tr>
            {{#sales}}<tr id="sale-{{id}}"><td>{{time}}</td><td>{{number}}<br>{{tender}}</td><td class="nowrap">{{total}}</td><td class="{{statusClass}}">{{status}}
            {{#receipt}}<br><a href="/receipts/{{receipt}}" target="_blank">{{receipt}}</a>{{/receipt}}
            {{#voidable}}<form method="post" action="/staff/counter/sales/{{id}}/void" class="void-form"><input type="hidden" name="csrf" value="{{csrf}}">
            <input type="text" name="reason" aria-label="{{voidReasonLabel}}" placeholder="{{voidReasonLabel}}" required maxlength="200"><button type="submit" class="secondary">{{voidButton}}</button></form>{{/voidable}}</td></tr>
            {{/sales}}</table>{{/hasSales}}
            </section>
            {{#hasPayouts}}<section class="card" id="payouts"><h2>{{payoutsHeading}}</h2><ul class="promotion-list">
            {{#payouts}}<li data-refund="{{id}}"><p><strong>{{amount}}</strong> · {{number}} · {{method}}<br><small>{{receipt}} · {{reason}}</small></p>
            <form method="post" action="/staff/counter/refunds/{{id}}/payout"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="secondary">{{payoutButton}}</button></form></li>
            {{/payouts}}</ul></section>{{/hasPayouts}}
            <section class="card" id="close-shift"><h2>{{closeHeading}}</h2>
            <form method="post" action="/staff/counter/close"><input type="hidden" name="csrf" value="{{csrf}}">
            <table>{{#denominationCounts}}<tr><th><label for="count-{{code}}" style="margin:0">{{text}}</label></th><td><input type="number" min="0" max="100000" id="count-{{code}}" name="count_{{code}}" value="0"></td></tr>{{/denominationCounts}}</table>
            <label for="note">{{noteLabel}}</label><input type="text" id="note" name="note" maxlength="500">
            <p><button type="submit" id="close-button">{{closeButton}}</button></p></form></section>
            {{/shift}}
            <script>
            (function () {
              var form = document.getElementById("sale-form");
              if (!form) return;
              function show() {
                var tender = (form.querySelector("input[name=tender]:checked") || {}).value;
                [["tendered", tender === "cash"], ["card_terminal_ref", tender === "card"], ["payment_code", tender === "alipay_code" || tender === "wechat_code"]]
                  .forEach(function (pair) { var el = document.getElementById(pair[0]); el.disabled = !pair[1]; el.previousElementSibling.style.opacity = pair[1] ? 1 : .4; });
              }
              form.addEventListener("change", show); show();
            })();
            </script>
            """)

    static let shifts = try! MustacheTemplate(
        string: menu + """
            <h1>{{heading}}</h1>
            <section class="card" id="shift-list">
            {{#none}}<p>{{noneText}}</p>{{/none}}
            {{^none}}<table tabindex="0" class="list"><tr><th scope="col">{{outletLabel}}</th><th scope="col">{{openedLabel}}</th><th scope="col">{{zLabel}}</th><th scope="col">{{overShortLabel}}</th></tr>
            {{#shifts}}<tr><td>{{outlet}}</td><td><a href="/staff/shifts/{{id}}">{{opened}}</a></td><td>{{z}}</td><td class="nowrap {{overShortClass}}" data-over-short="{{overShortMinor}}">{{overShort}}</td></tr>
            {{/shifts}}</table>{{/none}}
            </section>
            """)

    static let report = try! MustacheTemplate(
        string: menu + """
            <h1>{{heading}}</h1>
            <section class="card" id="report">
            <p class="status {{statusClass}}">{{statusText}}</p>
            <table>{{#rows}}<tr><th>{{{label}}}</th><td class="{{cls}}">{{value}}</td></tr>{{/rows}}</table>
            </section>
            <p class="noprint"><button type="button" id="print">{{printLabel}}</button></p>
            <script>document.getElementById("print").addEventListener("click", () => window.print())</script>
            """)
}
