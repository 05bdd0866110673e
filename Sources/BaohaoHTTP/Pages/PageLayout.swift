import BaohaoDomain
import Foundation
import Mustache

/// The frame every server-rendered page shares: bilingual, readable at 360 px, printable.
enum PageLayout {
    static let template = try! MustacheTemplate(
        string: """
            <!doctype html>
            <html lang="{{htmlLang}}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{title}}</title>
            <style>
            body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei","PingFang SC",system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1d2129}
            main{max-width:40rem;margin:0 auto;padding:1rem}
            .chart-figure{margin:0 0 1.25rem}.chart-figure figcaption{font-weight:bold;margin:.25rem 0}svg.chart{width:100%;height:auto;display:block}
            ul.legend{list-style:none;padding:0;margin:.25rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem;font-size:.85rem}.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:-.1rem;border-radius:2px}
            details.chart-data summary{cursor:pointer;font-size:.85rem;color:#0052d9}td.num{text-align:right}
            .consent{display:flex;gap:.5rem;align-items:flex-start}.consent input{margin:.3rem 0 0;width:1.1rem;height:1.1rem;flex:0 0 auto}.consent label{margin:0;font-size:.9rem}
            footer.site{max-width:40rem;margin:0 auto;padding:.5rem 1rem 2rem;font-size:.8rem;color:#5f6673;text-align:center}footer.site p{margin:.2rem 0}footer.site a{color:#3d4450}
            h1{font-size:1.3rem;margin:.5rem 0 1rem}
            .card{background:#fff;border-radius:.5rem;padding:1rem;box-shadow:0 1px 3px rgba(0,0,0,.08);margin-bottom:1rem}
            table{width:100%;border-collapse:collapse}
            th{font-weight:normal;color:#4e5969;text-align:left;padding:.35rem .5rem .35rem 0;vertical-align:top;width:45%}
            td{padding:.35rem 0;overflow-wrap:break-word}
            table:has(th[scope=col]){display:block;overflow-x:auto}
            th[scope=col]{width:auto;white-space:nowrap;padding-right:.75rem;border-bottom:1px solid #e5e6eb}
            table:has(th[scope=col]) td{padding-right:.75rem;vertical-align:top;white-space:nowrap}
            @media (max-width:30rem){table:not(:has(th[scope=col])) :is(th,td){display:block;width:auto;padding:0}table:not(:has(th[scope=col])) th{padding-top:.5rem;font-size:.9rem}table:not(:has(th[scope=col])) td{padding-bottom:.25rem}}
            ol.calls{list-style:none;padding:0;margin:0}ol.calls li{border-top:1px solid #e5e7eb;padding:.5rem 0}ol.calls p{margin:.15rem 0}dl.figures{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;margin:.25rem 0}dl.figures div{min-width:8rem}dl.figures dt{font-size:.8rem;color:#6b7280;width:auto}dl.figures dd{margin:0;font-weight:600;white-space:nowrap}dd.warn{color:#b91c1c}table.list th{width:auto;padding-right:.75rem}table.list td{word-break:normal;padding-right:.75rem}.nowrap{white-space:nowrap}
            .en{color:#6b7280;font-size:.85em;display:block}
            .status{font-size:1.2rem;font-weight:bold}
            .ok{color:#007a4d}.bad{color:#c9353f}.wait{color:#a8540b}
            button,.button{font-size:1rem;padding:.7rem 1.2rem;border-radius:.4rem;border:0;background:#0052d9;color:#fff;text-decoration:none;display:inline-block;margin:.25rem .25rem .25rem 0;cursor:pointer}
            button.secondary{background:#e7e7e7;color:#1d2129}
            .note{color:#5f6673;font-size:.85rem}
            nav{font-size:.85rem;text-align:right}
            label{display:block;margin:.5rem 0 .25rem}
            input[type=tel],input[type=text],input[type=email],input[type=number],input[type=password]{font-size:1.1rem;padding:.6rem;width:100%;box-sizing:border-box;border:1px solid #c9cdd4;border-radius:.4rem}
            fieldset{border:0;padding:0;margin:0 0 1rem}
            legend{font-weight:bold;margin-bottom:.5rem}
            .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(6.5rem,1fr));gap:.5rem}
            .choice{position:relative}
            .choice input[type=radio]{position:absolute;opacity:0;width:1px;height:1px}
            .choice label{margin:0;border:1px solid #c9cdd4;border-radius:.4rem;padding:.7rem .5rem;text-align:center;cursor:pointer;background:#fff}
            .choice label .promo{display:block;font-size:.8rem;color:#c5221f;font-weight:normal}.choice label .restores{color:#00734d}
            .choice.custom{display:flex;align-items:center;gap:.5rem;margin-top:.5rem}.choice.custom label{flex:0 0 auto}.choice.custom input[type=text]{width:7rem;flex:0 0 auto}
            .warning{background:#fff4e5;border:1px solid #f5c26b;border-radius:.4rem;padding:.5rem .8rem;margin-top:.6rem}.warning p{margin:.2rem 0}
            .sandbox-banner{margin:0;padding:.4rem 1rem;background:#fff4e5;color:#8a4b00;border-bottom:1px solid #f5c26b;text-align:center;font-size:.9rem}
            .promotions{margin:.8rem 0 0;padding:.6rem .8rem;border-radius:.4rem;background:#fff4e5;border:1px solid #f5c26b}
            .promotions ul{margin:.3rem 0;padding-left:1.2rem}
            .promotion-list{list-style:none;margin:0;padding:0}.promotion-list li{border-top:1px solid #e5e6eb;padding:.4rem 0}
            .promotion-list p{margin:.2rem 0}.promotion-list meter{width:100%;max-width:20rem}
            .choice input:checked+label{border-color:#0052d9;background:#e8f0ff;font-weight:bold}
            .choice input:focus-visible+label{outline:3px solid #0052d9;outline-offset:2px}
            .pay-qr{margin:1rem 0;text-align:center}.pay-qr figcaption{font-weight:bold;margin-top:.25rem}
            ol.timeline{list-style:none;padding:0;margin:.25rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}ol.timeline li{color:#5f6673}ol.timeline li.done{color:#1d2129}ol.timeline li.done span:first-child{font-weight:bold;color:#007a4d}
            .timeline-h{font-size:1rem;margin:1rem 0 .25rem}
            .error{background:#fdecee;color:#a1151e;border-radius:.4rem;padding:.6rem .8rem;margin-bottom:1rem}
            a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #0052d9;outline-offset:2px}
            @media print{body{background:#fff}.card{box-shadow:none;border:1px solid #ccc}nav,.noprint,footer.site{display:none}}
            </style>
            </head>
            <body>{{#sandbox}}<p class="sandbox-banner" role="note" id="sandbox-banner">{{sandboxText}}</p>{{/sandbox}}<main>
            <nav>{{^staff}}<a href="/">{{homeLabel}}</a> · <a href="/me" id="nav-me">{{meLabel}}</a> · {{/staff}}<a href="?{{switchQuery}}lang=zh" lang="zh-CN">中文</a> · <a href="?{{switchQuery}}lang=en" lang="en">English</a></nav>
            {{{content}}}
            </main>
            <footer class="site" id="site-footer"><p>{{operatorLabel}}{{legalName}}</p><p>{{supportLabel}}{{#supportTel}}<a href="tel:{{supportTel}}">{{support}}</a>{{/supportTel}}{{^supportTel}}{{support}}{{/supportTel}}</p><p><a href="/terms" id="terms-link">{{termsLabel}}</a> · <a href="/privacy" id="privacy-link">{{privacyLabel}}</a>{{#icp}} · <a href="https://beian.miit.gov.cn/" rel="noopener" id="icp">{{icp}}</a>{{/icp}}</p></footer>
            </body></html>
            """)

    /// Whether pages say that the sandbox provider is on (money-free test payments), set when the
    /// router is built.
    static let sandboxNotice = Setting(false)

    /// Who runs the site, for every page's footer; set when the router is built.
    static let site = Setting(MerchantInfo(name: "保号 Baohao", supportLine: "—"))

    /// A process-wide value read by every page.
    final class Setting<Value: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Value
        init(_ initial: Value) { stored = initial }
        func set(_ value: Value) { lock.withLock { stored = value } }
        var value: Value { lock.withLock { stored } }
    }

    /// The dialable part of a support line (`400-000-0000（演示号码）` → `400-000-0000`), if any.
    static func dialable(_ line: String) -> String? {
        // A number marked as the demo's example is shown, never offered for dialling.
        guard !line.contains("演示"), !line.lowercased().contains("demo") else { return nil }
        let number = String(line.prefix { "0123456789+- ".contains($0) }).trimmingCharacters(in: .whitespaces)
        return number.filter(\.isNumber).count >= 3 ? number.replacingOccurrences(of: " ", with: "") : nil
    }

    /// The page in the site layout; `switchQuery` keeps the page's own query (e.g. `msisdn=…&`) in
    /// the language links; `staff` pages leave out the subscriber's links (recharge home, my numbers).
    static func render(title: String, content: String, language: Language, switchQuery: String = "", staff: Bool = false) -> String {
        let merchant = site.value
        return template.render([
            "operatorLabel": language == .zh ? "运营主体：" : "Operated by ", "legalName": merchant.legalName,
            "supportLabel": language == .zh ? "客服电话：" : "Support: ", "support": merchant.supportLine,
            "supportTel": dialable(merchant.supportLine) ?? false, "icp": merchant.icpNumber ?? false,
            "termsLabel": language == .zh ? "用户协议" : "User agreement", "privacyLabel": language == .zh ? "隐私政策" : "Privacy policy",
            "staff": staff,
            "sandbox": sandboxNotice.value,
            "sandboxText": language == .zh
                ? "测试环境：已开启沙箱支付，付款不会扣真实的钱，也不应为真实号码充值。"
                : "Test system: the sandbox provider is on. Its payments move no real money; do not use it for real numbers.",
            "title": title, "content": content, "htmlLang": language == .zh ? "zh-CN" : "en", "switchQuery": switchQuery,
            "homeLabel": language == .zh ? "充值首页" : "Recharge home",
            "meLabel": language == .zh ? "我的号码" : "My numbers",
        ])
    }

    /// "中文 English" label pairs, Chinese first; English only when the reader chose it.
    static func label(_ zh: String, _ en: String, _ language: Language) -> String {
        language == .zh ? "\(zh)<span class=\"en\">\(en)</span>" : en
    }
}
