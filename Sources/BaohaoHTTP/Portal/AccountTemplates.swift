import Mustache

/// Sign-in and account page bodies (inside ``PageLayout``).
enum AccountTemplates {
    static let number = try! MustacheTemplate(
        string: """
            <h1>{{heading}}</h1>
            <div class="card">
            <p>{{intro}}</p>
            {{#unavailable}}<p class="error" role="alert">{{unavailableText}}</p>{{/unavailable}}
            {{#hasError}}<p class="error" role="alert" id="form-error">{{error}}</p>{{/hasError}}
            <form method="post" action="{{action}}">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <label for="msisdn">{{numberLabel}}</label>
            <input type="tel" id="msisdn" name="msisdn" value="{{number}}" required maxlength="32" autocomplete="tel" inputmode="tel" autofocus>
            <p class="consent"><input type="checkbox" id="consent" name="consent" value="1" required{{#consented}} checked{{/consented}}><label for="consent">{{consentBefore}}<a href="/terms" target="_blank" rel="noopener">{{termsName}}</a>{{consentAnd}}<a href="/privacy" target="_blank" rel="noopener">{{privacyName}}</a>{{consentAfter}}</label></p>
            <p><button type="submit" id="send-code">{{submit}}</button></p>
            </form>
            </div>
            """)

    static let code = try! MustacheTemplate(
        string: """
            <h1>{{heading}}</h1>
            <div class="card">
            {{#sentTo}}<p id="sent-to"><strong>{{sentTo}}</strong></p>{{/sentTo}}
            <p>{{intro}}</p>
            {{#hasError}}<p class="error" role="alert" id="form-error">{{error}}</p>{{/hasError}}
            <form method="post" action="{{action}}">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <input type="hidden" name="challenge" value="{{challenge}}">
            <label for="code">{{codeLabel}}</label>
            <input type="text" id="code" name="code" required maxlength="6" minlength="6" pattern="[0-9]{6}" inputmode="numeric" autocomplete="one-time-code" autofocus>
            <p><button type="submit" id="verify">{{submit}}</button></p>
            </form>
            <p><a href="{{againHref}}" id="again" data-wait="{{wait}}" data-label="{{again}}" data-waiting="{{againWaiting}}">{{again}}</a></p>
            </div>
            {{#wait}}<script>
            (function(){var a=document.getElementById('again'),left=+a.getAttribute('data-wait'),label=a.getAttribute('data-label'),
            waiting=a.getAttribute('data-waiting'),href=a.getAttribute('href');
            function tick(){if(left>0){a.removeAttribute('href');a.setAttribute('aria-disabled','true');a.textContent=waiting.replace('{s}',left);left--;setTimeout(tick,1000);}
            else{a.setAttribute('href',href);a.removeAttribute('aria-disabled');a.textContent=label;}}tick();})();
            </script>{{/wait}}
            """)

    static let dashboard = try! MustacheTemplate(
        string: """
            <h1>{{heading}}</h1>
            {{#empty}}<div class="card"><p>{{emptyText}}</p></div>{{/empty}}
            {{#cards}}
            <section class="card line" aria-label="{{number}}">
            <h2 class="status">{{number}}</h2>
            <table>
            <tr><th>{{{stageLabel}}}</th><td class="{{stageClass}}">{{stage}}</td></tr>
            <tr><th>{{{balanceLabel}}}</th><td>{{balance}}</td></tr>
            <tr><th>{{{deadlineLabel}}}</th><td class="deadline">{{deadline}}</td></tr>
            <tr><th>{{{actionLabel}}}</th><td>{{action}}</td></tr>
            </table>
            <p><a class="button" href="/recharge?msisdn={{msisdn}}">{{recharge}}</a>
            <a class="button secondary" href="/me/lines/{{id}}">{{historyLabel}}</a>
            <a class="button secondary" href="/me/lines/{{id}}/reminders">{{remindersLabel}}</a></p>
            </section>
            {{/cards}}
            <div class="card">
            <p><a class="button" href="/me/add" id="add-number">{{add}}</a></p>
            <p><a href="{{calendarHref}}" id="calendar">{{calendar}}</a></p>
            {{#calendarRotated}}<p class="note" role="status" id="calendar-rotated">{{calendarRotated}}</p>{{/calendarRotated}}
            <form method="post" action="/me/calendar/rotate"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="secondary" id="calendar-rotate">{{calendarRotate}}</button></form>
            <form method="post" action="/signout"><input type="hidden" name="csrf" value="{{csrf}}">
            <label><input type="checkbox" name="calendar" value="revoke" id="sign-out-calendar"> {{signOutCalendar}}</label>
            <button type="submit" class="secondary" id="sign-out">{{signOut}}</button></form>
            </div>
            """)

    static let history = try! MustacheTemplate(
        string: """
            <h1>{{heading}}</h1>
            <div class="card">
            {{#empty}}<p>{{emptyText}}</p>{{/empty}}
            {{^empty}}
            <table tabindex="0">
            <tr><th scope="col">{{dateLabel}}</th><th scope="col">{{amountLabel}}</th><th scope="col">{{statusLabel}}</th><th scope="col">{{receiptLabel}}</th></tr>
            {{#rows}}<tr><td><a href="{{orderHref}}">{{date}}</a></td><td>{{amount}}</td><td>{{status}}{{#refundHref}}<br><a href="{{refundHref}}" class="refund-link">{{refundLabel}}</a>{{/refundHref}}</td><td>{{#receipt}}<a href="/receipts/{{receipt}}">{{receipt}}</a>{{/receipt}}</td></tr>
            {{/rows}}
            </table>
            {{/empty}}
            <p class="pager">{{#newestHref}}<a href="{{newestHref}}" id="history-newest">{{newestLabel}}</a> {{/newestHref}}{{#hasOlder}}<a href="{{olderHref}}" id="history-older">{{olderLabel}}</a>{{/hasOlder}}</p>
            <p><a href="{{unpaidHref}}" id="history-unpaid">{{unpaidLabel}}</a></p>
            <p><a href="/me">{{back}}</a></p>
            </div>
            """)

    static let refund = try! MustacheTemplate(
        string: """
            <h1>{{heading}}</h1>
            <div class="card">
            {{#error}}<p class="error" role="alert" id="form-error">{{error}}</p>{{/error}}
            {{#message}}<p class="note" role="status" id="refund-message">{{message}}</p>{{/message}}
            <table>
            {{#rows}}<tr><th>{{{label}}}</th><td>{{value}}</td></tr>
            {{/rows}}
            </table>
            {{#canAsk}}<form method="post" action="/me/orders/{{orderID}}/refund">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <label for="reason">{{reasonLabel}}</label>
            <input type="text" id="reason" name="reason" required maxlength="200">
            <p class="note">{{note}}</p>
            <button type="submit" id="refund-submit">{{submit}}</button>
            </form>{{/canAsk}}
            <p><a href="{{backHref}}">{{back}}</a></p>
            </div>
            """)

    static let reminders = try! MustacheTemplate(
        string: """
            <h1>{{heading}}</h1>
            <form method="post" action="{{action}}" class="card">
            {{#hasError}}<p class="error" role="alert" id="form-error">{{message}}</p>{{/hasError}}
            {{#hasMessage}}<p class="ok" role="status" id="form-saved">{{message}}</p>{{/hasMessage}}
            <input type="hidden" name="csrf" value="{{csrf}}">
            <fieldset>
            <legend>{{channelsLegend}}</legend>
            <p><input type="checkbox" id="sms" name="sms"{{#sms}} checked{{/sms}}> <label for="sms" style="display:inline">{{smsLabel}}</label></p>
            <p><input type="checkbox" id="email" name="email"{{#email}} checked{{/email}}> <label for="email" style="display:inline">{{emailLabel}}</label></p>
            <label for="email_address">{{emailAddressLabel}}</label>
            <input type="email" id="email_address" name="email_address" value="{{emailAddress}}" maxlength="254" autocomplete="email">
            <label for="language">{{languageLabel}}</label>
            <select id="language" name="language"><option value="zh"{{#zhSelected}} selected{{/zhSelected}}>中文</option><option value="en"{{#enSelected}} selected{{/enSelected}}>English</option></select>
            </fieldset>
            <fieldset>
            <legend>{{quietLegend}}</legend>
            <label for="quiet_start">{{quietStartLabel}}</label>
            <select id="quiet_start" name="quiet_start">{{#quietStart}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/quietStart}}</select>
            <label for="quiet_end">{{quietEndLabel}}</label>
            <select id="quiet_end" name="quiet_end">{{#quietEnd}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/quietEnd}}</select>
            <label for="time_zone">{{timeZoneLabel}}</label>
            <select id="time_zone" name="time_zone">{{#timeZones}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/timeZones}}</select>
            </fieldset>
            <p><input type="checkbox" id="opt_out" name="opt_out"{{#optOut}} checked{{/optOut}}> <label for="opt_out" style="display:inline">{{optOutLabel}}</label></p>
            <p><button type="submit" id="save">{{save}}</button> <a href="/me">{{back}}</a></p>
            </form>
            """)
}
