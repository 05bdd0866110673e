"""Fake Alipay, WeChat Pay, Stripe and UnionPay servers that speak the real protocols.

Keys and certificates are generated here with PyPI `cryptography`; every signature, the WeChat
resource encryption and the Stripe header are produced with it (and the Stripe header checked by
the `stripe` package), never with Baohao's code. The fake servers also verify Baohao's own
signed requests with the same library, so a request Baohao signs wrongly fails here.
"""
import base64
import datetime
import hashlib
import hmac
import json
import os
import secrets
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import stripe
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

from conftest import now

ALIPAY_APP_ID = "2021000000000001"
ALIPAY_SELLER = "2088000000000001"
WECHAT_MCHID = "1900000001"
WECHAT_APPID = "wx0000000000000001"
WECHAT_SERIAL = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
WECHAT_PLATFORM_ID = "PUB_KEY_ID_0000000000000000000001"
UNIONPAY_MER_ID = "777290058110048"
UNIONPAY_CERT_ID = "69629715588"
UNIONPAY_CN = "041@Z12@中国银联股份有限公司@00000001"


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem_private(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()


def pem_public(key):
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def rsa_sign(key, message: bytes) -> str:
    return base64.b64encode(key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()


def rsa_verify(public_key, signature: str, message: bytes) -> bool:
    try:
        public_key.verify(base64.b64decode(signature), message, padding.PKCS1v15(), hashes.SHA256())
        return True
    except Exception:
        return False


def sorted_string(fields, skip=("sign", "sign_type")):
    return "&".join(f"{k}={fields[k]}" for k in sorted(fields) if k not in skip and fields[k] != "")


def make_cert(subject_cn, key, issuer_cn, issuer_key, ca, days=365):
    # Baohao checks certificate validity on its own (test) clock.
    issued = datetime.datetime.fromtimestamp(now(), datetime.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject_cn)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_cn)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(issued - datetime.timedelta(days=1))
        .not_valid_after(issued + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    return builder.sign(issuer_key, hashes.SHA256())


class Keys:
    """Everything both sides need, written to files for Baohao's settings."""

    def __init__(self, directory):
        self.dir = directory
        self.alipay_app = new_key()        # ours: signs requests to Alipay
        self.alipay = new_key()            # Alipay's: signs notifications and answers
        self.wechat_merchant = new_key()   # ours: signs API requests
        self.wechat_platform = new_key()   # WeChat Pay's: signs notifications and answers
        self.wechat_apiv3 = secrets.token_hex(16)  # 32 ASCII characters
        self.stripe_secret = "sk_test_" + secrets.token_hex(12)
        self.stripe_webhook = "whsec_" + secrets.token_hex(16)
        self.unionpay_merchant = new_key()  # ours: signs requests to UnionPay
        root_key, middle_key = new_key(), new_key()
        self.unionpay_leaf_key = new_key()  # UnionPay's signing key
        self.unionpay_root = make_cert("CFCA TEST ROOT", root_key, "CFCA TEST ROOT", root_key, True)
        self.unionpay_middle = make_cert("CFCA TEST OCA1", middle_key, "CFCA TEST ROOT", root_key, True)
        self.unionpay_leaf = make_cert(UNIONPAY_CN, self.unionpay_leaf_key, "CFCA TEST OCA1", middle_key, False)
        rogue_root = new_key()
        self.rogue_leaf_key = new_key()
        self.rogue_leaf = make_cert(UNIONPAY_CN, self.rogue_leaf_key, "CFCA TEST OCA1", rogue_root, False)

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def env(self, base):
        cert_pem = lambda c: c.public_bytes(serialization.Encoding.PEM).decode()
        # Alipay's console shows its public key as bare base64; Baohao must take that form too.
        alipay_bare = "".join(pem_public(self.alipay).splitlines()[1:-1])
        return {
            "BAOHAO_ALIPAY_ENABLED": "1",
            "BAOHAO_ALIPAY_APP_ID": ALIPAY_APP_ID,
            "BAOHAO_ALIPAY_SELLER_ID": ALIPAY_SELLER,
            "BAOHAO_ALIPAY_PRIVATE_KEY_FILE": self.write("alipay_app.pem", pem_private(self.alipay_app)),
            "BAOHAO_ALIPAY_PUBLIC_KEY_FILE": self.write("alipay_public.txt", alipay_bare),
            "BAOHAO_ALIPAY_GATEWAY": base + "/gateway.do",
            "BAOHAO_WECHATPAY_ENABLED": "1",
            "BAOHAO_WECHATPAY_MCHID": WECHAT_MCHID,
            "BAOHAO_WECHATPAY_APPID": WECHAT_APPID,
            "BAOHAO_WECHATPAY_MERCHANT_SERIAL": WECHAT_SERIAL,
            "BAOHAO_WECHATPAY_PRIVATE_KEY_FILE": self.write("apiclient_key.pem", pem_private(self.wechat_merchant)),
            "BAOHAO_WECHATPAY_PLATFORM_PUBLIC_KEY_FILE": self.write("wechat_platform.pem", pem_public(self.wechat_platform)),
            "BAOHAO_WECHATPAY_PLATFORM_KEY_ID": WECHAT_PLATFORM_ID,
            "BAOHAO_WECHATPAY_APIV3_KEY_FILE": self.write("apiv3.key", self.wechat_apiv3),
            "BAOHAO_WECHATPAY_BASE_URL": base,
            "BAOHAO_STRIPE_ENABLED": "1",
            "BAOHAO_STRIPE_SECRET_KEY_FILE": self.write("stripe.key", self.stripe_secret),
            "BAOHAO_STRIPE_WEBHOOK_SECRET_FILE": self.write("stripe_webhook.key", self.stripe_webhook),
            "BAOHAO_STRIPE_BASE_URL": base,
            "BAOHAO_UNIONPAY_ENABLED": "1",
            "BAOHAO_UNIONPAY_MER_ID": UNIONPAY_MER_ID,
            "BAOHAO_UNIONPAY_SIGN_KEY_FILE": self.write("acp_sign.pem", pem_private(self.unionpay_merchant)),
            "BAOHAO_UNIONPAY_SIGN_CERT_ID": UNIONPAY_CERT_ID,
            "BAOHAO_UNIONPAY_ROOT_CERT_FILE": self.write("acp_root.cer", cert_pem(self.unionpay_root)),
            "BAOHAO_UNIONPAY_MIDDLE_CERT_FILE": self.write("acp_middle.cer", cert_pem(self.unionpay_middle)),
            "BAOHAO_UNIONPAY_GATEWAY": base,
        }


class Notifications:
    """Signed notifications as each provider sends them. `mutate` edits the body after signing."""

    def __init__(self, keys):
        self.keys = keys

    def alipay(self, order_id, fen, trade_no, status="TRADE_SUCCESS", app_id=ALIPAY_APP_ID, mutate=None):
        fields = {
            "notify_time": "2026-11-24 12:00:01", "notify_type": "trade_status_sync", "notify_id": "nt" + secrets.token_hex(8),
            "app_id": app_id, "charset": "utf-8", "version": "1.0", "sign_type": "RSA2", "trade_no": trade_no,
            "out_trade_no": order_id, "trade_status": status, "total_amount": f"{fen // 100}.{fen % 100:02d}",
            "receipt_amount": f"{fen // 100}.{fen % 100:02d}", "seller_id": ALIPAY_SELLER, "gmt_payment": "2026-11-24 12:00:00",
            "subject": "话费充值 测试",
        }
        fields["sign"] = rsa_sign(self.keys.alipay, sorted_string(fields).encode())
        if mutate:
            mutate(fields)
        return urllib.parse.urlencode(fields).encode(), {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}

    def wechat(self, order_id, fen, transaction_id, state="SUCCESS", mchid=WECHAT_MCHID, timestamp=None, mutate=None, key=None):
        plain = json.dumps({
            "mchid": mchid, "appid": WECHAT_APPID, "out_trade_no": order_id, "transaction_id": transaction_id,
            "trade_type": "NATIVE", "trade_state": state, "trade_state_desc": "支付成功", "bank_type": "OTHERS",
            "success_time": "2026-11-24T20:00:00+08:00", "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
            "amount": {"total": fen, "payer_total": fen, "currency": "CNY", "payer_currency": "CNY"},
        }, ensure_ascii=False).encode()
        nonce = secrets.token_hex(6)
        ciphertext = AESGCM(self.keys.wechat_apiv3.encode()).encrypt(nonce.encode(), plain, b"transaction")
        body = json.dumps({
            "id": "EV-" + secrets.token_hex(8), "create_time": "2026-11-24T20:00:01+08:00", "resource_type": "encrypt-resource",
            "event_type": "TRANSACTION.SUCCESS", "summary": "支付成功",
            "resource": {"original_type": "transaction", "algorithm": "AEAD_AES_256_GCM", "ciphertext": base64.b64encode(ciphertext).decode(),
                         "associated_data": "transaction", "nonce": nonce},
        }, ensure_ascii=False).encode()
        headers = self.wechat_headers(body, timestamp=timestamp, key=key)
        if mutate:
            body = mutate(body)
        return body, headers

    def wechat_refund(self, out_refund_no, refund_id, status="SUCCESS", out_trade_no="", fen=0):
        """A REFUND.* notification: signed like any other, its resource encrypted with associated data "refund"."""
        plain = json.dumps({
            "mchid": WECHAT_MCHID, "out_trade_no": out_trade_no, "transaction_id": "4200000000" + secrets.token_hex(4),
            "out_refund_no": out_refund_no, "refund_id": refund_id, "refund_status": status,
            "success_time": "2026-11-24T20:05:00+08:00", "user_received_account": "招商银行信用卡0403",
            "amount": {"total": 5000, "refund": fen, "payer_total": 5000, "payer_refund": fen},
        }, ensure_ascii=False).encode()
        nonce = secrets.token_hex(6)
        ciphertext = AESGCM(self.keys.wechat_apiv3.encode()).encrypt(nonce.encode(), plain, b"refund")
        body = json.dumps({
            "id": "EV-" + secrets.token_hex(8), "create_time": "2026-11-24T20:05:01+08:00", "resource_type": "encrypt-resource",
            "event_type": f"REFUND.{status}", "summary": "退款成功",
            "resource": {"original_type": "refund", "algorithm": "AEAD_AES_256_GCM", "ciphertext": base64.b64encode(ciphertext).decode(),
                         "associated_data": "refund", "nonce": nonce},
        }, ensure_ascii=False).encode()
        return body, self.wechat_headers(body)

    def stripe_refund(self, refund_id, re_id, status="succeeded", fen=2000):
        """A `charge.refund.updated` event whose object is the refund, with our id in its metadata."""
        obj = {"id": re_id, "object": "refund", "amount": fen, "currency": "cny", "status": status,
               "metadata": {"refund_id": refund_id}}
        body = json.dumps({"id": "evt_" + secrets.token_hex(8), "object": "event", "type": "charge.refund.updated", "created": int(now()),
                           "livemode": False, "data": {"object": obj}}).encode()
        ts = int(now())
        mac = hmac.new(self.keys.stripe_webhook.encode(), f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
        return body, {"Content-Type": "application/json", "Stripe-Signature": f"t={ts},v1={mac}"}

    def wechat_headers(self, body, timestamp=None, key=None):
        ts = str(timestamp or int(now()))
        nonce = secrets.token_hex(16)
        signature = rsa_sign(key or self.keys.wechat_platform, f"{ts}\n{nonce}\n".encode() + body + b"\n")
        return {"Content-Type": "application/json", "Wechatpay-Timestamp": ts, "Wechatpay-Nonce": nonce, "Wechatpay-Signature": signature,
                "Wechatpay-Serial": WECHAT_PLATFORM_ID, "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048"}

    def stripe(self, order_id, fen, intent, event_type="checkout.session.completed", timestamp=None, currency="cny", mutate=None, secret=None):
        obj = {
            "id": "cs_test_" + secrets.token_hex(8), "object": "checkout.session", "client_reference_id": order_id,
            "amount_total": fen, "currency": currency, "payment_status": "paid", "status": "complete", "payment_intent": intent,
            "metadata": {"order_id": order_id},
        }
        if event_type == "payment_intent.succeeded":
            obj = {"id": intent, "object": "payment_intent", "amount_received": fen, "currency": currency, "metadata": {"order_id": order_id}}
        body = json.dumps({"id": "evt_" + secrets.token_hex(8), "object": "event", "type": event_type, "created": int(now()),
                           "livemode": False, "data": {"object": obj}}).encode()
        ts = timestamp or int(now())
        mac = hmac.new((secret or self.keys.stripe_webhook).encode(), f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
        header = f"t={ts},v1={mac}"
        if secret is None and timestamp is None:
            # The header is right by Stripe's own library, not only by our reading of the docs. Its
            # freshness check reads the real clock, not the test clock, so only the signature is
            # checked here; Baohao's own window is tested with stale headers.
            stripe.WebhookSignature.verify_header(body.decode(), header, self.keys.stripe_webhook, tolerance=None)
        if mutate:
            body = mutate(body)
        return body, {"Content-Type": "application/json", "Stripe-Signature": header}

    def unionpay_fields(self, fields, rogue=False):
        key, cert = (self.keys.rogue_leaf_key, self.keys.rogue_leaf) if rogue else (self.keys.unionpay_leaf_key, self.keys.unionpay_leaf)
        fields = dict(fields, signPubKeyCert=cert.public_bytes(serialization.Encoding.PEM).decode(), signMethod="01", version="5.1.0")
        digest = hashlib.sha256(sorted_string(fields, skip=("signature",)).encode()).hexdigest()
        fields["signature"] = rsa_sign(key, digest.encode())
        return fields

    def unionpay(self, order_id, fen, query_id, resp_code="00", mer_id=UNIONPAY_MER_ID, rogue=False, mutate=None):
        fields = self.unionpay_fields({
            "accessType": "0", "bizType": "000201", "currencyCode": "156", "encoding": "UTF-8", "merId": mer_id,
            "orderId": order_id.replace("_", ""), "queryId": query_id, "respCode": resp_code, "respMsg": "成功[0000000]",
            "settleAmt": str(fen), "settleCurrencyCode": "156", "settleDate": "1124", "traceNo": "123456",
            "traceTime": "1124120000", "txnAmt": str(fen), "txnSubType": "01", "txnTime": "20261124120000", "txnType": "01",
        }, rogue=rogue)
        if mutate:
            mutate(fields)
        return urllib.parse.urlencode(fields).encode(), {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}


class FakeProviders:
    """One HTTP server answering the four providers' APIs from a table of payments."""

    def __init__(self, keys):
        self.keys = keys
        self.paid = {}        # order id -> (fen, provider transaction id)
        self.sessions = {}    # Stripe Checkout Session id -> order id
        self.refunds = []
        self.refunded = {}    # (provider, our refund id) -> (fen, provider refund id): refunds made, as each provider keys them
        self.refunds_pending = False  # when set, refund queries answer "still processing": only a notification settles them
        self.waiting = {}     # order id -> (fen, provider transaction id): a payment code the payer confirms at the next query
        self.code_charges = []  # (provider, order id, auth code) as Baohao sent them
        self.cancels = []     # (provider, order id): cancelled or reversed code charges
        self.bad_requests = []  # Baohao requests whose signature did not verify
        self.h5_requests = []  # WeChat H5 payment requests as Baohao sent them
        self.h5_granted = True  # when unset, H5 answers 403 NO_AUTH as for a merchant not granted it
        self.notes = Notifications(keys)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def body(self):
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def reply(self, status, body, headers=None, content_type="application/json"):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                fake.handle(self, "GET", b"")

            def do_POST(self):
                fake.handle(self, "POST", self.body())

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()

    def handle(self, h, method, body):
        path = h.path
        if path == "/gateway.do":
            return self.alipay(h, body)
        if path.startswith("/v3/"):
            return self.wechat(h, method, path, body)
        if path.startswith("/v1/"):
            return self.stripe(h, method, path, body)
        if path.startswith("/gateway/api/"):
            return self.unionpay(h, path, body)
        h.reply(404, b"{}")

    # Alipay: form POST signed RSA2 by us; JSON answer signed over the response member's text.
    def alipay(self, h, body):
        fields = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
        sign = fields.pop("sign", "")
        if not rsa_verify(self.keys.alipay_app.public_key(), sign, sorted_string(fields, skip=("sign",)).encode()):
            self.bad_requests.append(("alipay", fields.get("method")))
            return h.reply(200, b'{"error_response":{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-signature"}}')
        biz = json.loads(fields["biz_content"])
        method = fields["method"]
        if method == "alipay.trade.pay":
            # Payment codes: the code's last digit picks the payer, as the product's sandbox does.
            assert biz["scene"] == "bar_code", biz
            order, code = biz["out_trade_no"], biz["auth_code"]
            self.code_charges.append(("alipay", order, code))
            fen = round(float(biz["total_amount"]) * 100)
            trade_no = "2026112422001" + secrets.token_hex(6)
            if code.endswith("9"):
                inner = {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.PAYMENT_AUTH_CODE_INVALID", "sub_msg": "支付失败，获取顾客账户信息失败"}
            elif code.endswith(("7", "8")):
                if code.endswith("7"):
                    self.waiting[order] = (fen, trade_no)
                inner = {"code": "10003", "msg": " order success pay inprocess", "trade_no": trade_no, "out_trade_no": order}
            else:
                self.paid[order] = (fen, trade_no)
                inner = {"code": "10000", "msg": "Success", "trade_no": trade_no, "out_trade_no": order, "total_amount": biz["total_amount"],
                         "gmt_payment": "2026-11-24 14:00:00", "buyer_logon_id": "159****5620"}
        elif method == "alipay.trade.cancel":
            self.cancels.append(("alipay", biz["out_trade_no"]))
            inner = {"code": "10000", "msg": "Success", "out_trade_no": biz["out_trade_no"], "retry_flag": "N", "action": "close"}
        elif method == "alipay.trade.query":
            order = biz["out_trade_no"]
            if order in self.waiting:
                self.paid[order] = self.waiting.pop(order)
            if order in self.paid:
                fen, trade_no = self.paid[order]
                inner = {"code": "10000", "msg": "Success", "trade_no": trade_no, "out_trade_no": order, "trade_status": "TRADE_SUCCESS",
                         "total_amount": f"{fen // 100}.{fen % 100:02d}", "send_pay_date": "2026-11-24 12:00:00", "buyer_logon_id": "159****5620"}
            else:
                inner = {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_NOT_EXIST", "sub_msg": "交易不存在"}
        elif method == "alipay.trade.refund":
            # The same out_request_no again answers the same refund (Alipay's idempotency), money moved once.
            self.refunds.append(("alipay", biz))
            fen = round(float(biz["refund_amount"]) * 100)
            repeat = ("alipay", biz["out_request_no"]) in self.refunded
            self.refunded.setdefault(("alipay", biz["out_request_no"]), (fen, biz.get("trade_no")))
            inner = {"code": "10000", "msg": "Success", "trade_no": biz.get("trade_no"), "fund_change": "N" if repeat else "Y",
                     "refund_fee": biz["refund_amount"]}
        elif method == "alipay.trade.fastpay.refund.query":
            made = self.refunded.get(("alipay", biz["out_request_no"]))
            inner = {"code": "10000", "msg": "Success", "trade_no": biz.get("trade_no"), "out_request_no": biz["out_request_no"]}
            if made:
                inner.update(refund_status="REFUND_SUCCESS", refund_amount=f"{made[0] // 100}.{made[0] % 100:02d}")
        else:
            return h.reply(400, b"{}")
        key = method.replace(".", "_") + "_response"
        text = json.dumps(inner, ensure_ascii=False, separators=(",", ":"))
        signed = '{"%s":%s,"sign":"%s"}' % (key, text, rsa_sign(self.keys.alipay, text.encode()))
        h.reply(200, signed.encode(), content_type="application/json;charset=utf-8")

    # WeChat Pay v3: our Authorization verified; answers signed by the platform key.
    def wechat(self, h, method, path, body):
        auth = h.headers.get("Authorization", "")
        params = dict(part.split("=", 1) for part in auth.replace("WECHATPAY2-SHA256-RSA2048 ", "").split(","))
        params = {k: v.strip('"') for k, v in params.items()}
        message = f"{method}\n{path}\n{params.get('timestamp')}\n{params.get('nonce_str')}\n".encode() + body + b"\n"
        if params.get("mchid") != WECHAT_MCHID or not rsa_verify(self.keys.wechat_merchant.public_key(), params.get("signature", ""), message):
            self.bad_requests.append(("wechatpay", path))
            return self.wechat_reply(h, 401, {"code": "SIGN_ERROR", "message": "签名错误"})
        if method == "POST" and path == "/v3/pay/transactions/native":
            request = json.loads(body)
            assert request["mchid"] == WECHAT_MCHID and request["appid"] == WECHAT_APPID
            return self.wechat_reply(h, 200, {"code_url": "weixin://wxpay/bizpayurl?pr=" + secrets.token_hex(4)})
        if method == "POST" and path == "/v3/pay/transactions/h5":
            request = json.loads(body)
            assert request["mchid"] == WECHAT_MCHID and request["appid"] == WECHAT_APPID
            self.h5_requests.append(request)
            if not self.h5_granted:
                return self.wechat_reply(h, 403, {"code": "NO_AUTH", "message": "商户未开通H5支付权限"})
            scene = request.get("scene_info", {})
            if not scene.get("payer_client_ip") or scene.get("h5_info", {}).get("type") not in ("Wap", "iOS", "Android"):
                return self.wechat_reply(h, 400, {"code": "PARAM_ERROR", "message": "scene_info 缺失"})
            return self.wechat_reply(h, 200, {"h5_url": f"https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx{secrets.token_hex(8)}&package=2150917749"})
        if method == "POST" and path == "/v3/pay/transactions/codepay":
            request = json.loads(body)
            assert request["mchid"] == WECHAT_MCHID and request["appid"] == WECHAT_APPID
            order, code, fen = request["out_trade_no"], request["payer"]["auth_code"], request["amount"]["total"]
            self.code_charges.append(("wechatpay", order, code))
            txn = "4200000" + secrets.token_hex(6)
            if code.endswith("9"):
                return self.wechat_reply(h, 403, {"code": "NOT_ENOUGH", "message": "用户账户余额不足"})
            if code.endswith(("7", "8")):
                if code.endswith("7"):
                    self.waiting[order] = (fen, txn)
                return self.wechat_reply(h, 202, {"code": "USERPAYING", "message": "需要用户输入支付密码"})
            self.paid[order] = (fen, txn)
            return self.wechat_reply(h, 200, {
                "mchid": WECHAT_MCHID, "appid": WECHAT_APPID, "out_trade_no": order, "transaction_id": txn, "trade_type": "MICROPAY",
                "trade_state": "SUCCESS", "success_time": "2026-11-24T14:00:00+08:00", "amount": {"total": fen, "currency": "CNY"}})
        if method == "POST" and path.startswith("/v3/pay/transactions/out-trade-no/") and path.endswith("/reverse"):
            self.cancels.append(("wechatpay", urllib.parse.unquote(path.split("/")[-2])))
            return self.wechat_reply(h, 200, {})
        if method == "GET" and path.startswith("/v3/pay/transactions/out-trade-no/"):
            order = urllib.parse.unquote(path.split("/")[-1].split("?")[0])
            if order in self.waiting:
                self.paid[order] = self.waiting.pop(order)
            if order not in self.paid:
                return self.wechat_reply(h, 404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"})
            fen, txn = self.paid[order]
            return self.wechat_reply(h, 200, {
                "mchid": WECHAT_MCHID, "appid": WECHAT_APPID, "out_trade_no": order, "transaction_id": txn, "trade_type": "NATIVE",
                "trade_state": "SUCCESS", "success_time": "2026-11-24T20:00:00+08:00", "amount": {"total": fen, "currency": "CNY"}})
        if method == "POST" and path == "/v3/refund/domestic/refunds":
            # WeChat Pay refunds asynchronously: PROCESSING first, SUCCESS when queried later.
            request = json.loads(body)
            self.refunds.append(("wechatpay", request))
            key = ("wechatpay", request["out_refund_no"])
            self.refunded.setdefault(key, (request["amount"]["refund"], "50000000" + secrets.token_hex(4)))
            return self.wechat_reply(h, 200, {"refund_id": self.refunded[key][1], "out_refund_no": request["out_refund_no"],
                                              "status": "PROCESSING", "amount": request["amount"]})
        if method == "GET" and path.startswith("/v3/refund/domestic/refunds/"):
            number = urllib.parse.unquote(path.rsplit("/", 1)[1])
            made = self.refunded.get(("wechatpay", number))
            if made is None:
                return self.wechat_reply(h, 404, {"code": "RESOURCE_NOT_EXISTS", "message": "退款单不存在"})
            return self.wechat_reply(h, 200, {"refund_id": made[1], "out_refund_no": number,
                                              "status": "PROCESSING" if self.refunds_pending else "SUCCESS",
                                              "success_time": "2026-11-24T20:05:00+08:00",
                                              "amount": {"refund": made[0], "currency": "CNY"}})
        self.wechat_reply(h, 404, {"code": "NOT_FOUND"})

    def wechat_reply(self, h, status, obj):
        body = json.dumps(obj, ensure_ascii=False).encode()
        headers = self.notes.wechat_headers(body)
        headers.pop("Content-Type")
        h.reply(status, body, headers)

    # Stripe: Bearer secret key; Checkout Sessions.
    def stripe(self, h, method, path, body):
        if h.headers.get("Authorization") != f"Bearer {self.keys.stripe_secret}":
            self.bad_requests.append(("stripe", path))
            return h.reply(401, b'{"error":{"type":"invalid_request_error","message":"Invalid API Key"}}')
        if method == "POST" and path == "/v1/checkout/sessions":
            form = dict(urllib.parse.parse_qsl(body.decode()))
            session_id = "cs_test_" + secrets.token_hex(12)
            self.sessions[session_id] = form
            return h.reply(200, json.dumps({"id": session_id, "object": "checkout.session", "url": f"https://checkout.stripe.com/c/pay/{session_id}"}).encode())
        if method == "POST" and path == "/v1/refunds":
            # Stripe keeps an Idempotency-Key's answer: the same key answers the same refund.
            form = dict(urllib.parse.parse_qsl(body.decode()))
            key = h.headers.get("Idempotency-Key")
            self.refunds.append(("stripe", dict(form, idempotency_key=key)))
            made = self.refunded.setdefault(("stripe", key), (int(form["amount"]), "re_" + secrets.token_hex(12)))
            return h.reply(200, json.dumps({"id": made[1], "object": "refund", "amount": made[0], "status": "pending",
                                            "payment_intent": form["payment_intent"]}).encode())
        if method == "GET" and path.startswith("/v1/refunds/"):
            refund_id = path.rsplit("/", 1)[1]
            made = next((v for (p, _), v in self.refunded.items() if p == "stripe" and v[1] == refund_id), None)
            if made is None:
                return h.reply(404, b'{"error":{"code":"resource_missing"}}')
            status = "pending" if self.refunds_pending else "succeeded"
            return h.reply(200, json.dumps({"id": refund_id, "object": "refund", "amount": made[0], "status": status}).encode())
        if method == "GET" and path.startswith("/v1/checkout/sessions/"):
            session_id = path.rsplit("/", 1)[1]
            form = self.sessions.get(session_id)
            if form is None:
                return h.reply(404, b'{"error":{"code":"resource_missing"}}')
            order = form["client_reference_id"]
            paid = self.paid.get(order)
            return h.reply(200, json.dumps({
                "id": session_id, "object": "checkout.session", "client_reference_id": order, "status": "complete" if paid else "open",
                "payment_status": "paid" if paid else "unpaid", "payment_intent": paid[1] if paid else None,
                "amount_total": int(form["line_items[0][price_data][unit_amount]"]), "currency": form["line_items[0][price_data][currency]"]}).encode())
        h.reply(404, b"{}")

    # UnionPay ACP 5.1.0: our signature verified with our key; answers signed with UnionPay's certificate.
    def unionpay(self, h, path, body):
        fields = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
        signature = fields.pop("signature", "")
        digest = hashlib.sha256(sorted_string(fields, skip=()).encode()).hexdigest()
        if not rsa_verify(self.keys.unionpay_merchant.public_key(), signature, digest.encode()):
            self.bad_requests.append(("unionpay", path))
            return h.reply(200, b"respCode=11&respMsg=signature", content_type="text/plain")
        if path == "/gateway/api/backTransReq.do" and fields.get("txnType") == "04":
            # A refund: accepted now (respCode 00), its result comes by notification or queryTrans.do.
            self.refunds.append(("unionpay", fields))
            made = self.refunded.setdefault(("unionpay", fields["orderId"]), (int(fields["txnAmt"]), secrets.token_hex(10)))
            answer = {"respCode": "00", "respMsg": "成功[0000000]", "merId": UNIONPAY_MER_ID, "orderId": fields["orderId"],
                      "queryId": made[1], "origQryId": fields["origQryId"], "txnAmt": fields["txnAmt"], "txnTime": fields["txnTime"]}
            signed = self.notes.unionpay_fields(dict(answer, accessType="0", encoding="UTF-8", txnType="04", txnSubType="00", bizType="000201"))
            return h.reply(200, urllib.parse.urlencode(signed).encode(), content_type="text/plain;charset=UTF-8")
        if path == "/gateway/api/queryTrans.do" and ("unionpay", fields["orderId"]) in self.refunded:
            fen, query_id = self.refunded[("unionpay", fields["orderId"])]
            answer = {"respCode": "00", "respMsg": "成功", "origRespCode": "00", "origRespMsg": "成功", "merId": UNIONPAY_MER_ID,
                      "orderId": fields["orderId"], "queryId": query_id, "txnAmt": str(fen), "currencyCode": "156", "txnTime": fields["txnTime"]}
            signed = self.notes.unionpay_fields(dict(answer, accessType="0", encoding="UTF-8", txnType="00", txnSubType="00", bizType="000000"))
            return h.reply(200, urllib.parse.urlencode(signed).encode(), content_type="text/plain;charset=UTF-8")
        if path == "/gateway/api/queryTrans.do":
            order = fields["orderId"]
            match = next((k for k in self.paid if k.replace("_", "") == order), None)
            if match is None:
                answer = {"respCode": "34", "respMsg": "查无此交易", "merId": UNIONPAY_MER_ID}
            else:
                fen, query_id = self.paid[match]
                answer = {"respCode": "00", "respMsg": "成功", "origRespCode": "00", "origRespMsg": "成功", "merId": UNIONPAY_MER_ID,
                          "orderId": order, "queryId": query_id, "txnAmt": str(fen), "currencyCode": "156", "txnTime": fields["txnTime"]}
            signed = self.notes.unionpay_fields(dict(answer, accessType="0", encoding="UTF-8", txnType="00", txnSubType="00", bizType="000000"))
            return h.reply(200, urllib.parse.urlencode(signed).encode(), content_type="text/plain;charset=UTF-8")
        h.reply(404, b"")
