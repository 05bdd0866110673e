"""A partner platform's client for Baohao's partner API, written from the published scheme only
(the README and issue text), not from the server's code: every request is signed

    Authorization: Baohao-HMAC key=<key id>,t=<unix seconds>,sig=<hex HMAC-SHA256(secret,
        "<t>\\n<METHOD>\\n<path with query>\\n<hex SHA-256 of the raw body>")>

and callbacks are verified from `Baohao-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`."""

import hashlib
import hmac
import http.server
import json
import threading
import time
import urllib.error
import urllib.request


class PartnerClient:
    def __init__(self, base_url, key_id, secret, clock=time.time, retry_429=True):
        self.base_url = base_url.rstrip("/")
        self.key_id = key_id
        self.secret = secret
        self.clock = clock
        self.retry_429 = retry_429

    def authorization(self, method, path, body, t=None, key_id=None, secret=None):
        t = int(self.clock()) if t is None else t
        text = f"{t}\n{method}\n{path}\n{hashlib.sha256(body).hexdigest()}"
        sig = hmac.new((secret or self.secret).encode(), text.encode(), hashlib.sha256).hexdigest()
        return f"Baohao-HMAC key={key_id or self.key_id},t={t},sig={sig}"

    def request(self, method, path, payload=None, raw=None, authorization=None, alter_body=None):
        """(status, headers, body bytes); `alter_body` changes the body after it was signed."""
        body = raw if raw is not None else (json.dumps(payload).encode() if payload is not None else b"")
        for attempt in range(50):
            auth = authorization or self.authorization(method, path, body)
            sent = alter_body(body) if alter_body else body
            request = urllib.request.Request(self.base_url + path, data=sent if method != "GET" else None, method=method)
            request.add_header("Authorization", auth)
            if method != "GET":
                request.add_header("Content-Type", "application/json")
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    return response.status, dict(response.headers), response.read()
            except urllib.error.HTTPError as error:
                data = error.read()
                if error.code == 429 and self.retry_429 and authorization is None:
                    time.sleep(float(error.headers.get("Retry-After", "1")))
                    continue
                return error.code, dict(error.headers), data
        raise AssertionError("still rate-limited after 50 tries")

    def json(self, method, path, payload=None, **kwargs):
        status, _, body = self.request(method, path, payload, **kwargs)
        return status, json.loads(body) if body else None

    def topup(self, reference, msisdn, amount_fen, currency="CNY"):
        return self.json("POST", "/v1/partner/topups",
                         {"reference": reference, "msisdn": msisdn, "amount": {"amount": amount_fen, "currency": currency}})

    def get_topup(self, reference):
        return self.json("GET", f"/v1/partner/topups/{reference}")

    def balance(self):
        return self.json("GET", "/v1/partner/balance")

    def statement(self, day):
        status, _, body = self.request("GET", f"/v1/partner/statements/{day}")
        return status, body.decode()


def verify_callback(secret, header, body, now, tolerance=300):
    """Whether `Baohao-Signature` signs `body` with `secret` (any v1 may match) within the tolerance."""
    fields = [part.split("=", 1) for part in header.split(",")]
    timestamps = [value for name, value in fields if name == "t"]
    signatures = [value for name, value in fields if name == "v1"]
    if len(timestamps) != 1 or not signatures:
        return False
    t = int(timestamps[0])
    if abs(now - t) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, signature) for signature in signatures)


class CallbackReceiver:
    """A partner's callback endpoint on 127.0.0.1: verifies each signature, keeps the valid events
    (dropping repeats by event_id), and answers 503 while `down` is set."""

    def __init__(self, secret, clock=time.time):
        self.secret = secret
        self.clock = clock
        self.down = False
        self.events = {}
        self.deliveries = 0
        self.refused = 0
        self.bad_signatures = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    if receiver.down:
                        receiver.refused += 1
                        self.send_response(503)
                        self.end_headers()
                        return
                    if not verify_callback(receiver.secret, self.headers.get("Baohao-Signature", ""), body, receiver.clock()):
                        receiver.bad_signatures += 1
                        self.send_response(400)
                        self.end_headers()
                        return
                    event = json.loads(body)
                    receiver.deliveries += 1
                    receiver.events.setdefault(event["event_id"], event)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/baohao/callbacks"

    def close(self):
        self.server.shutdown()
