"""deploy/nginx/baohao.conf as shipped, run by Debian's nginx in front of two `baohao serve`
processes on one PostgreSQL database: a recharge journey over TLS, one process SIGKILLed in the
middle, nothing lost, the other keeps serving; /metrics refused from outside, HTTP sent to HTTPS."""
import datetime
import http.client
import ipaddress
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from conftest import ADMIN_TOKEN, BIN, Server, free_port, fresh_postgres_database, signed_notification

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NUMBER = "13800138000"


def self_signed(folder):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start)
            .not_valid_after(start + datetime.timedelta(days=365 * 30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
    with open(cert_path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_path, key_path


def nginx_config(folder, backends, tls_port, plain_port, cert, key):
    """The shipped site file with only what a test machine must change: ports and certificate."""
    site = open(os.path.join(ROOT, "deploy", "nginx", "baohao.conf"), encoding="utf-8").read()
    site = site.replace("server 127.0.0.1:8081 ", f"server 127.0.0.1:{backends[0]} ").replace("server 127.0.0.1:8082 ", f"server 127.0.0.1:{backends[1]} ")
    site = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", site)
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{tls_port} ssl http2;").replace("listen 80;", f"listen 127.0.0.1:{plain_port};")
    site = site.replace("/etc/ssl/baohao/fullchain.pem", cert).replace("/etc/ssl/baohao/privkey.pem", key)
    assert f"127.0.0.1:{backends[1]}" in site and f":{tls_port} ssl" in site and cert in site
    with open(os.path.join(folder, "site.conf"), "w") as f:
        f.write(site)
    temp = os.path.join(folder, "temp")
    os.makedirs(temp, exist_ok=True)
    main = f"""{'user root;' if os.geteuid() == 0 else ''}
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 512; }}
http {{
    client_body_temp_path {temp}/body; proxy_temp_path {temp}/proxy; fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi; scgi_temp_path {temp}/scgi;
    include {folder}/site.conf;
}}
"""
    path = os.path.join(folder, "nginx.conf")
    with open(path, "w") as f:
        f.write(main)
    return path


class Front:
    """HTTPS to nginx, trusting the test certificate; optionally from another loopback address."""

    def __init__(self, port, cert, source="127.0.0.1"):
        self.port, self.source = port, source
        self.context = ssl.create_default_context(cafile=cert)

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=30,
                                                 source_address=(self.source, 0))
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        all_headers = dict(headers or {})
        if data is not None:
            all_headers.setdefault("Content-Type", "application/json")
        try:
            connection.request(method, path, body=data, headers=all_headers)
            reply = connection.getresponse()
            return reply.status, reply.read(), reply.headers
        finally:
            connection.close()

    def admin(self, method, path, body=None):
        return self.request(method, path, body, {"Authorization": f"Bearer {ADMIN_TOKEN}"})


def test_two_servers_behind_the_shipped_nginx_config_survive_a_sigkill(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert os.path.exists(nginx), "nginx is not installed: run scripts/test, which installs it"
    folder = str(tmp_path)
    data = os.path.join(folder, "data")
    os.makedirs(data)
    cert, key = self_signed(folder)
    with fresh_postgres_database() as url:
        env = {"BAOHAO_TRUSTED_PROXIES": "127.0.0.1"}
        first, second = Server(data, url, env=env), Server(data, url, env=env)
        first.start()
        second.start()
        tls_port, plain_port = free_port(), free_port()
        config = nginx_config(folder, [first.port, second.port], tls_port, plain_port, cert, key)
        checked = subprocess.run([nginx, "-t", "-c", config, "-p", folder], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        proxy = subprocess.Popen([nginx, "-c", config, "-p", folder], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            front = Front(tls_port, cert)
            deadline = time.time() + 20
            while True:
                try:
                    if front.request("GET", "/readyz")[0] == 200:
                        break
                except OSError:
                    pass
                assert time.time() < deadline and proxy.poll() is None, "nginx did not start"
                time.sleep(0.1)

            assert front.admin("POST", "/v1/admin/plans", {"code": "KEEP5", "name": "保号套餐 5元/月", "monthly_fee": {"amount": 500, "currency": "CNY"}})[0] == 201
            assert front.admin("POST", "/v1/admin/lines", {"msisdn": NUMBER, "plan": "KEEP5", "holder_name": "张三"})[0] == 201
            status, body, headers = front.request("GET", f"/v1/lines/{NUMBER}/confirm")
            assert status == 200 and json.loads(body)["msisdn_masked"] == "138****8000" and headers["X-Request-Id"]

            orders = []
            for i in range(40):
                payload = {"msisdn": NUMBER, "amount": {"amount": 1000, "currency": "CNY"}, "channel": "online", "payment_method": "sandbox"}
                status, body, _ = front.request("POST", "/v1/recharges", payload, {"Idempotency-Key": f"nginx-{i:03d}"})
                assert status == 201, body
                orders.append(json.loads(body)["id"])

            def notify(order_id):
                # A provider resends until it is acknowledged; count how often it had to.
                for attempt in range(5):
                    body, headers = signed_notification(order_id, 1000, event_id=f"{order_id}-{attempt}")
                    try:
                        if front.request("POST", "/v1/payments/sandbox/notify", body, headers)[0] == 200:
                            return attempt
                    except OSError:
                        pass
                    time.sleep(0.2)
                raise AssertionError(f"{order_id} never acknowledged")

            retries = [notify(o) for o in orders[:20]]
            first.kill()  # SIGKILL: no goodbye to nginx or the database
            retries += [notify(o) for o in orders[20:]]
            retries += [notify(o) for o in orders[:20]]  # the provider repeats itself: credited once
            assert sum(retries) <= 2, retries  # at most a request caught on the dead process's connection

            listed = json.loads(front.admin("GET", f"/v1/admin/lines/{NUMBER}/orders?limit=100")[1])
            assert sorted(o["id"] for o in listed) == sorted(orders) and all(o["status"] == "credited" for o in listed)
            assert len({o["receipt_no"] for o in listed}) == 40
            assert json.loads(front.admin("GET", f"/v1/admin/lines/{NUMBER}")[1])["balance"]["amount"] == 40 * 1000
            assert json.loads(front.admin("POST", "/v1/admin/verify")[1])["ok"] is True

            # /metrics answers inside (the token still asked by Baohao) and is refused from elsewhere.
            assert front.request("GET", "/metrics")[0] in (200, 401)
            assert Front(tls_port, cert, source="127.0.0.2").request("GET", "/metrics")[0] == 403
            assert Front(tls_port, cert, source="127.0.0.2").request("GET", "/readyz")[0] == 200
            # Plain HTTP is sent to HTTPS.
            plain = http.client.HTTPConnection("127.0.0.1", plain_port, timeout=10)
            plain.request("GET", "/recharge?msisdn=1")
            moved = plain.getresponse()
            assert moved.status == 301 and moved.headers["Location"].startswith("https://") and moved.headers["Location"].endswith("/recharge?msisdn=1")
            plain.close()
        finally:
            proxy.send_signal(signal.SIGQUIT)
            try:
                proxy.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proxy.kill()
            second.stop()
            first.stop()
        # The books on the database both processes wrote balance, by the CLI.
        verified = subprocess.run([BIN, "verify", "--data-dir", data, "--database-url", url], capture_output=True, text=True, timeout=120)
        assert verified.returncode == 0, verified.stdout + verified.stderr


def test_the_systemd_units_are_valid_for_this_systemd(tmp_path):
    """`systemd-analyze verify` knows every directive of both shipped units (an unknown or
    misspelt hardening key is only a warning to systemd, so any output fails this test). The
    binary's path is pointed at the built one; nothing is started: this machine runs no systemd."""
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing (Debian: systemd)"
    for name, unit in (("baohao.service", "baohao.service"), ("baohao@.service", "baohao@8081.service")):
        text = open(os.path.join(ROOT, "deploy", "systemd", name), encoding="utf-8").read().replace("/usr/local/bin/baohao", BIN)
        path = tmp_path / unit
        path.write_text(text, encoding="utf-8")
        checked = subprocess.run([analyze, "verify", str(path)], capture_output=True, text=True, timeout=60)
        assert checked.returncode == 0 and checked.stdout.strip() == "" and checked.stderr.strip() == "", (name, checked.stdout, checked.stderr)
