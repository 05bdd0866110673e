import Mustache

/// The staff console's page bodies (inside ``PageLayout``).
enum StaffTemplates {
    static let menu = """
        <p class="noprint" id="staff-menu"><a href="/staff">{{menuDashboard}}</a> · <a href="/staff/lines">{{menuLookup}}</a> · <a href="/staff/ivr">{{menuIVR}}</a> · <a href="/staff/partners">{{menuPartners}}</a> · <a href="/staff/refunds">{{menuRefunds}}</a> · <a href="/staff/vouchers">{{menuVouchers}}</a>
        {{#isAdmin}} · <a href="/staff/accounts">{{menuStaff}}</a>{{/isAdmin}} · <a href="/staff/shifts">{{menuShifts}}</a> · <a href="/staff/2fa" id="menu-2fa">{{menuTwoFactor}}</a> · {{who}}
        <form method="post" action="/staff/signout" style="display:inline"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="secondary" id="staff-sign-out">{{signOut}}</button></form></p>
        """

    static let signIn = try! MustacheTemplate(
        string: """
            <h1>{{heading}}</h1>
            <div class="card">
            {{#hasError}}<p class="error" role="alert" id="form-error">{{error}}</p>{{/hasError}}
            <form method="post" action="/staff/signin">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <label for="username">{{usernameLabel}}</label>
            <input type="text" id="username" name="username" value="{{username}}" required maxlength="32" autocomplete="username" autocapitalize="none" autofocus>
            <label for="password">{{passwordLabel}}</label>
            <input type="password" id="password" name="password" required maxlength="72" autocomplete="current-password">
            <p><button type="submit" id="staff-sign-in">{{submit}}</button></p>
            </form>
            </div>
            """)

    static let dashboard = try! MustacheTemplate(
        string: menu + """
            <h1>{{heading}}</h1>
            <section class="card" aria-labelledby="today-h" id="today">
            <h2 id="today-h">{{todayHeading}}</h2>
            {{#noTallies}}<p>{{noTalliesText}}</p>{{/noTallies}}
            {{^noTallies}}
            <table tabindex="0">
            <tr><th scope="col">{{channelLabel}}</th><th scope="col">{{methodLabel}}</th><th scope="col">{{countLabel}}</th><th scope="col">{{amountLabel}}</th><th scope="col">{{feesLabel}}</th></tr>
            {{#tallies}}<tr><td>{{channel}}</td><td>{{method}}</td><td>{{count}}</td><td>{{amount}}</td><td>{{fees}}</td></tr>
            {{/tallies}}
            </table>
            {{/noTallies}}
            </section>
            <section class="card" aria-labelledby="charts-h" id="charts">
            <h2 id="charts-h">{{chartsHeading}}</h2>
            {{{charts}}}
            </section>
            <section class="card" aria-labelledby="promotions-h" id="promotions">
            <h2 id="promotions-h">{{promotionsHeading}}</h2>
            {{#noPromotions}}<p>{{noPromotionsText}}</p>{{/noPromotions}}
            {{^noPromotions}}
            <ul class="promotion-list">
            {{#promotions}}<li data-promotion="{{code}}"><p><strong>{{name}}</strong> · {{status}}<br><small>{{code}} · {{label}}</small></p>
            <p>{{spentLabel}} {{spent}} / {{budgetLabel}} {{budget}}（{{percent}}%）<br><meter min="0" max="1000" value="{{permille}}">{{percent}}%</meter></p>
            <p><small>{{endsLabel}} {{ends}}</small></p></li>
            {{/promotions}}
            </ul>
            {{/noPromotions}}
            </section>
            <section class="card" aria-labelledby="stages-h" id="stages">
            <h2 id="stages-h">{{stagesHeading}}</h2>
            <table>
            {{#stages}}<tr><th scope="row">{{stage}}</th><td data-stage="{{code}}">{{count}}</td></tr>
            {{/stages}}
            </table>
            </section>
            <section class="card" aria-labelledby="reclaims-h" id="reclaims">
            <h2 id="reclaims-h">{{reclaimsHeading}}</h2>
            {{#noReclaims}}<p>{{noReclaimsText}}</p>{{/noReclaims}}
            {{^noReclaims}}
            <table tabindex="0">
            <tr><th scope="col">{{numberLabel}}</th><th scope="col">{{stageLabel}}</th><th scope="col">{{reclaimOnLabel}}</th></tr>
            {{#reclaims}}<tr><td><a href="/staff/lines?msisdn={{msisdnQuery}}">{{number}}</a></td><td>{{stage}}</td><td>{{on}}</td></tr>
            {{/reclaims}}
            </table>
            {{/noReclaims}}
            {{#truncated}}<p>{{truncatedText}}</p>{{/truncated}}
            </section>
            <section class="card" aria-labelledby="rejected-h" id="rejected">
            <h2 id="rejected-h">{{rejectedHeading}}</h2>
            <p id="rejected-today">{{rejectedToday}}</p>
            {{#isAdmin}}
            {{#hasRejected}}
            <table tabindex="0">
            <tr><th scope="col">{{timeLabel}}</th><th scope="col">{{providerLabel}}</th><th scope="col">{{reasonLabel}}</th><th scope="col">{{orderLabel}}</th></tr>
            {{#rejected}}<tr><td>{{at}}</td><td>{{provider}}</td><td>{{reason}}</td><td>{{order}}</td></tr>
            {{/rejected}}
            </table>
            {{/hasRejected}}
            {{/isAdmin}}
            {{^isAdmin}}<p>{{adminOnlyText}}</p>{{/isAdmin}}
            </section>
            """)

    static let line = try! MustacheTemplate(
        string: menu + """
            <h1>{{heading}}</h1>
            <div class="card">
            <form method="get" action="/staff/lines" role="search">
            <label for="msisdn">{{numberLabel}}</label>
            <input type="tel" id="msisdn" name="msisdn" value="{{query}}" required maxlength="32" inputmode="tel">
            <p><button type="submit" id="lookup">{{lookupLabel}}</button></p>
            </form>
            {{#hasError}}<p class="error" role="alert" id="form-error">{{error}}</p>{{/hasError}}
            </div>
            {{#found}}
            <section class="card" aria-labelledby="summary-h" id="summary">
            <h2 id="summary-h">{{number}}</h2>
            <table>
            {{#facts}}<tr><th scope="row">{{{label}}}</th><td>{{value}}</td></tr>
            {{/facts}}
            </table>
            </section>
            <section class="card" aria-labelledby="ledger-h" id="ledger">
            <h2 id="ledger-h">{{ledgerHeading}}</h2>
            {{#noTransfers}}<p>{{none}}</p>{{/noTransfers}}
            {{^noTransfers}}
            <table tabindex="0">
            <tr><th scope="col">{{timeLabel}}</th><th scope="col">{{kindLabel}}</th><th scope="col">{{amountLabel}}</th><th scope="col">{{orderLabel}}</th></tr>
            {{#transfers}}<tr><td>{{at}}</td><td>{{kind}}</td><td>{{amount}}</td><td>{{order}}</td></tr>
            {{/transfers}}
            </table>
            {{/noTransfers}}
            </section>
            <section class="card" aria-labelledby="orders-h" id="orders">
            <h2 id="orders-h">{{ordersHeading}}</h2>
            {{#noOrders}}<p>{{none}}</p>{{/noOrders}}
            {{^noOrders}}
            <table tabindex="0">
            <tr><th scope="col">{{timeLabel}}</th><th scope="col">{{channelLabel}}</th><th scope="col">{{amountLabel}}</th><th scope="col">{{statusLabel}}</th><th scope="col">{{receiptLabel}}</th></tr>
            {{#orders}}<tr><td>{{at}}</td><td>{{channel}} · {{method}}</td><td>{{amount}}</td><td>{{status}}</td><td>{{#receipt}}<a href="/receipts/{{receipt}}">{{receipt}}</a>{{/receipt}}</td></tr>
            {{/orders}}
            </table>
            {{/noOrders}}
            </section>
            <section class="card" aria-labelledby="stages-h" id="stage-history">
            <h2 id="stages-h">{{historyHeading}}</h2>
            {{#noChanges}}<p>{{none}}</p>{{/noChanges}}
            {{^noChanges}}
            <table tabindex="0">
            <tr><th scope="col">{{effectiveLabel}}</th><th scope="col">{{changeLabel}}</th><th scope="col">{{reasonLabel}}</th><th scope="col">{{policyLabel}}</th></tr>
            {{#changes}}<tr><td>{{on}}</td><td>{{from}} → {{to}}</td><td>{{reason}}</td><td>{{policy}}</td></tr>
            {{/changes}}
            </table>
            {{/noChanges}}
            </section>
            {{/found}}
            """)

    static let accounts = try! MustacheTemplate(
        string: menu + """
            <h1>{{heading}}</h1>
            <div class="card">
            <table tabindex="0">
            <tr><th scope="col">{{usernameLabel}}</th><th scope="col">{{nameLabel}}</th><th scope="col">{{roleLabel}}</th><th scope="col">{{stateLabel}}</th></tr>
            {{#accounts}}<tr><td>{{username}}</td><td>{{name}}</td><td>{{role}}</td><td>{{state}}</td></tr>
            {{/accounts}}
            </table>
            <p>{{hint}}</p>
            </div>
            """)

    static let ivrCalls = try! MustacheTemplate(
        string: menu + """
            <h1>{{heading}}</h1>
            <section class="card" id="ivr-calls">
            <p>{{intro}}</p>
            {{#none}}<p>{{noneText}}</p>{{/none}}
            {{^none}}<ol class="calls">
            {{#calls}}<li data-call="{{id}}"><p><strong class="{{outcomeClass}}">{{outcome}}</strong> · {{caller}} · <small>{{frontEnd}}</small></p>
            <p><small>{{startedLabel}} {{started}}</small></p>
            <p><small>{{stepsLabel}}：{{steps}}</small></p>
            {{#order}}<p>{{orderLabel}} <a href="/receipts/{{receipt}}">{{receipt}}</a>{{#hasCard}} · ••••{{card}}{{/hasCard}}</p>{{/order}}</li>
            {{/calls}}</ol>{{/none}}
            </section>
            """)

    static let partners = try! MustacheTemplate(
        string: menu + """
            <h1>{{heading}}</h1>
            <section class="card" id="partners">
            <p>{{intro}}</p>
            {{#none}}<p>{{noneText}}</p>{{/none}}
            {{^none}}<ol class="calls">
            {{#partners}}<li data-partner="{{code}}"><p><strong class="{{statusClass}}">{{code}}</strong> · {{name}} · <small>{{status}}</small></p>
            <dl class="figures">
            <div><dt>{{availableLabel}}</dt><dd>{{available}}</dd></div>
            <div><dt>{{heldLabel}}</dt><dd>{{held}}</dd></div>
            <div><dt>{{todayLabel}}</dt><dd>{{todayCount}} · {{todayAmount}}</dd></div>
            <div><dt>{{failingLabel}}</dt><dd class="{{failingClass}}">{{failing}}</dd></div>
            </dl>
            <p><small>{{pricingLabel}}：{{pricing}} · {{rateLabel}} {{rate}}/s</small></p></li>
            {{/partners}}</ol>{{/none}}
            </section>
            """)

    static let refunds = try! MustacheTemplate(
        string: menu + """
            <h1>{{heading}}</h1>
            {{#error}}<p class="error" role="alert" id="form-error">{{error}}</p>{{/error}}
            <section class="card" id="refund-request">
            <h2>{{requestHeading}}</h2>
            <form method="post" action="/staff/refunds"><input type="hidden" name="csrf" value="{{csrf}}">
            <label for="order_id">{{orderLabel}}</label><input type="text" id="order_id" name="order_id" value="{{orderID}}" required maxlength="64" autocapitalize="none">
            <label for="amount">{{amountLabel}}</label><input type="text" id="amount" name="amount" required maxlength="12" inputmode="decimal">
            <label for="reason">{{reasonLabel}}</label><input type="text" id="reason" name="reason" required maxlength="200">
            <button type="submit" id="refund-submit">{{submit}}</button></form>
            </section>
            <section class="card" id="refunds">
            <p>{{intro}}</p>
            <p class="noprint">{{#filters}}{{#current}}<strong>{{label}}</strong>{{/current}}{{^current}}<a href="/staff/refunds?status={{value}}">{{label}}</a>{{/current}} {{/filters}}</p>
            {{#none}}<p>{{noneText}}</p>{{/none}}
            {{^none}}<ol class="calls">
            {{#refunds}}<li id="{{id}}" data-refund="{{id}}"><p><strong class="{{statusClass}}">{{status}}</strong> · {{amount}} · <small>{{source}}</small></p>
            <p><small>{{orderID}} · {{reason}}</small></p>
            <p><small>{{requestedByLabel}}：{{requestedBy}} · {{requestedAt}}</small>{{#decided}}<br><small>{{decidedLabel}}：{{decided}}</small>{{/decided}}</p>
            {{#lastError}}<p class="error"><small>{{lastError}}</small></p>{{/lastError}}
            {{#canDecide}}<form method="post" action="/staff/refunds/{{id}}/decision" class="decision"><input type="hidden" name="csrf" value="{{csrf}}">
            <label for="reason-{{id}}">{{decisionLabel}}</label><input type="text" id="reason-{{id}}" name="reason" maxlength="200">
            <button type="submit" name="decision" value="approve">{{approveLabel}}</button> <button type="submit" name="decision" value="reject" class="secondary">{{rejectLabel}}</button></form>{{/canDecide}}
            {{#resolved}}<p><small>{{resolvedLabel}}：{{resolved}}</small></p>{{/resolved}}
            {{#canResolve}}<form method="post" action="/staff/refunds/{{id}}/resolution" class="resolution"><input type="hidden" name="csrf" value="{{csrf}}">
            <p class="note">{{resolveNote}}</p><label for="resolution-{{id}}">{{decisionLabel}}</label><input type="text" id="resolution-{{id}}" name="reason" required maxlength="200">
            <button type="submit" name="outcome" value="succeeded">{{paidBackLabel}}</button> <button type="submit" name="outcome" value="failed" class="secondary">{{notPaidLabel}}</button></form>{{/canResolve}}
            </li>
            {{/refunds}}</ol>{{/none}}
            </section>
            """)

    static let vouchers = try! MustacheTemplate(
        string: menu + """
            <h1>{{heading}}</h1>
            {{#error}}<p class="error" role="alert" id="form-error">{{error}}</p>{{/error}}
            {{#notice}}<p class="ok" role="status" id="notice">{{notice}}</p>{{/notice}}
            <section class="card" id="voucher-batches">
            <p>{{intro}}</p>
            {{#noBatches}}<p>{{noBatchesText}}</p>{{/noBatches}}
            {{^noBatches}}<ul class="promotion-list">
            {{#batches}}<li data-batch="{{id}}"><p><strong>{{face}}</strong> × {{count}} · {{expiresLabel}} {{expires}}<br><small>{{id}} · {{range}}</small></p>
            <p>{{counts}}</p></li>
            {{/batches}}</ul>{{/noBatches}}
            </section>
            <section class="card" id="voucher-lookup">
            <h2>{{lookupHeading}}</h2>
            <form method="get" action="/staff/vouchers">
            <label for="serial">{{serialLabel}}</label><input type="text" id="serial" name="serial" value="{{serial}}" inputmode="numeric" maxlength="24" required>
            <button type="submit" id="lookup-submit">{{lookupSubmit}}</button></form>
            <table id="voucher-found">{{#found}}<tr><th>{{{label}}}</th><td>{{value}}</td></tr>{{/found}}</table>
            </section>
            <section class="card" id="voucher-range">
            <h2>{{rangeHeading}}</h2>
            <form method="post" action="/staff/vouchers/range"><input type="hidden" name="csrf" value="{{csrf}}">
            <label for="from">{{fromLabel}}</label><input type="text" id="from" name="from" inputmode="numeric" maxlength="24" required>
            <label for="to">{{toLabel}}</label><input type="text" id="to" name="to" inputmode="numeric" maxlength="24">
            <label for="range-reason">{{reasonLabel}}</label><input type="text" id="range-reason" name="reason" maxlength="200">
            <button type="submit" name="action" value="freeze" id="freeze-submit">{{freezeSubmit}}</button> <button type="submit" name="action" value="unfreeze" class="secondary" id="unfreeze-submit">{{unfreezeSubmit}}</button></form>
            </section>
            <section class="card" id="voucher-redeemed">
            <h2>{{redeemedHeading}}</h2>
            <p id="redeemed-summary">{{redeemedSummary}}</p>
            <ul class="promotion-list">{{#redeemed}}<li><p>{{serial}} · {{face}} · {{on}}<br><small>{{at}}</small></p></li>{{/redeemed}}</ul>
            </section>
            <section class="card" id="voucher-events">
            <h2>{{eventsHeading}}</h2>
            <ul class="promotion-list">{{#events}}<li><p><strong>{{what}}</strong> · {{count}} · {{range}}<br><small>{{by}} · {{at}}{{#reason}} · {{reason}}{{/reason}}</small></p></li>{{/events}}</ul>
            </section>
            """)
}
