"""Email reminders through a real aiosmtpd relay that requires STARTTLS and AUTH, with a private CA.

One line owes two email reminders. `baohao jobs run` is run five times, minutes apart (`--at`), each
time against a differently configured relay, so every refusal is seen on the same reminders:

1. a plain relay (no STARTTLS, AUTH offered in the clear) with `starttls-optional` and credentials:
   refused, the password is never sent;
2. the same relay with `starttls`: refused, nothing sent;
3. the TLS relay without our CA file: the certificate is not trusted, nothing sent;
4. the TLS relay with the CA but a wrong password: AUTH refused, kept for retry;
5. the TLS relay with the CA and the right password: both mails arrive over TLS, authenticated,
   the Chinese subject decodes.

Then the operator's view shows each reminder's five attempts with the reason of each failure.
"""
import datetime
import email
import email.header
import json
import os
import ssl
import subprocess

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from conftest import BIN, Server, free_port, now_datetime

PLAN = {"code": "CN5", "name": "保号套餐 5元/月", "monthly_fee": {"amount": 500, "currency": "CNY"}, "policy": "cn-keep5"}
PASSWORD = "smtp-pass-0123456789"


def write_certificates(directory):
    """A private CA and a relay certificate it signed for 127.0.0.1 (PEM files).

    TLS checks validity on the machine's clock, not Baohao's test clock, and scripts/test-at-dates
    moves that clock by up to a few years: valid from five years ago to five years on."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Baohao test relay CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=5 * 365))
          .not_valid_after(now + datetime.timedelta(days=5 * 365))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "relay.test")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=5 * 365)).not_valid_after(now + datetime.timedelta(days=5 * 365))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(ca_key, hashes.SHA256()))
    paths = {name: os.path.join(directory, name) for name in ("ca.pem", "relay.pem", "relay.key")}
    with open(paths["ca.pem"], "wb") as f:
        f.write(ca.public_bytes(serialization.Encoding.PEM))
    with open(paths["relay.pem"], "wb") as f:
        f.write(leaf.public_bytes(serialization.Encoding.PEM))
    with open(paths["relay.key"], "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return paths


class Relay:
    """Records every AUTH attempt and every accepted message, with whether the session was TLS."""

    def __init__(self):
        self.auth_attempts = []
        self.messages = []

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.auth_attempts.append((session.ssl is not None, auth_data.login, auth_data.password))
        ok = auth_data.login == b"baohao" and auth_data.password == PASSWORD.encode()
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    async def handle_DATA(self, server, session, envelope):
        self.messages.append({"tls": session.ssl is not None, "login": session.login_data, "rcpt": envelope.rcpt_tos,
                              "content": envelope.original_content})
        return "250 OK queued"


def jobs_run(data, at, env):
    result = subprocess.run([BIN, "jobs", "run", "--data-dir", data, "--at", at], capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, **env))
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_email_reminders_need_starttls_a_trusted_certificate_and_auth(tmp_path):
    certs = write_certificates(str(tmp_path))
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(certs["relay.pem"], certs["relay.key"])
    secure, plain = Relay(), Relay()
    secure_port, plain_port = free_port(), free_port()
    secure_relay = Controller(secure, hostname="127.0.0.1", port=secure_port, tls_context=tls, require_starttls=True,
                              auth_required=True, auth_require_tls=True, authenticator=secure.authenticate)
    plain_relay = Controller(plain, hostname="127.0.0.1", port=plain_port, auth_require_tls=False,
                             authenticator=plain.authenticate)
    secure_relay.start()
    plain_relay.start()
    data = str(tmp_path / "data")
    os.mkdir(data)
    server = Server(data)
    try:
        server.start()
        assert server.admin("POST", "/v1/admin/plans", PLAN)[0] == 201
        assert server.admin("POST", "/v1/admin/lines", {"msisdn": "13800138000", "plan": "CN5", "holder_name": "张三",
                                                         "opening_balance": {"amount": 300, "currency": "CNY"}})[0] == 201
        status, body = server.admin("POST", "/v1/admin/lines/13800138000/contact",
                                    {"channels": ["email"], "email": "owner@example.org", "language": "zh"})
        assert status == 200, body
        server.stop()

        # Runs a second and more on the test clock (2026-11-24, Beijing): the ¥5 fee is due on
        # 1 December, 7 days away, so a deadline reminder and a low-balance reminder are due.
        start = now_datetime().replace(microsecond=0) + datetime.timedelta(seconds=1)
        at = lambda minutes: (start + datetime.timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")
        base = {"BAOHAO_SMTP_HOST": "127.0.0.1", "BAOHAO_SMTP_FROM": "reminders@baohao.example",
                "BAOHAO_SMTP_USERNAME": "baohao", "BAOHAO_REMINDER_CHANNELS": "email"}

        out = jobs_run(data, at(0), dict(base, BAOHAO_SMTP_PORT=str(plain_port), BAOHAO_SMTP_SECURITY="starttls-optional",
                                         BAOHAO_SMTP_PASSWORD=PASSWORD))
        assert "sent 0" in out and "retrying 2" in out, out
        assert plain.auth_attempts == [] and plain.messages == []

        out = jobs_run(data, at(2), dict(base, BAOHAO_SMTP_PORT=str(plain_port), BAOHAO_SMTP_SECURITY="starttls",
                                         BAOHAO_SMTP_PASSWORD=PASSWORD))
        assert "sent 0" in out and "retrying 2" in out, out
        assert plain.auth_attempts == [] and plain.messages == []

        out = jobs_run(data, at(5), dict(base, BAOHAO_SMTP_PORT=str(secure_port), BAOHAO_SMTP_PASSWORD=PASSWORD))
        assert "sent 0" in out and "retrying 2" in out, out
        assert secure.auth_attempts == [] and secure.messages == []

        out = jobs_run(data, at(10), dict(base, BAOHAO_SMTP_PORT=str(secure_port), BAOHAO_SMTP_CA_FILE=certs["ca.pem"],
                                          BAOHAO_SMTP_PASSWORD="wrong-password-000"))
        assert "sent 0" in out and "retrying 2" in out, out
        assert [(tls_on, login) for tls_on, login, _ in secure.auth_attempts] == [(True, b"baohao")] * 2
        assert secure.messages == []

        password_file = tmp_path / "smtp-password"
        password_file.write_text(PASSWORD + "\n")
        out = jobs_run(data, at(30), dict(base, BAOHAO_SMTP_PORT=str(secure_port), BAOHAO_SMTP_CA_FILE=certs["ca.pem"],
                                          BAOHAO_SMTP_PASSWORD_FILE=str(password_file)))
        assert "sent 2" in out, out
        assert len(secure.messages) == 2
        subjects = []
        for message in secure.messages:
            assert message["tls"] and message["login"] == b"baohao" and message["rcpt"] == ["owner@example.org"]
            parsed = email.message_from_bytes(message["content"])
            subjects.append(str(email.header.make_header(email.header.decode_header(parsed["Subject"]))))
            assert "138****8000" in parsed.get_payload(decode=True).decode("utf-8")
        assert any(s.startswith("保号提醒：138****8000 将于 ") for s in subjects), subjects
        assert any(s.startswith("余额提醒：138****8000") for s in subjects), subjects

        # The operator sees each reminder's attempts and why each failed.
        server.start()
        status, body = server.admin("GET", "/v1/admin/lines/13800138000/retention")
        assert status == 200, body
        reminders = json.loads(body)["reminders"]
        assert len(reminders) == 2
        for reminder in reminders:
            assert reminder["status"] == "sent" and reminder["attempts"] == 5
            outcomes = [(h["outcome"], h.get("detail") or "") for h in reminder["history"]]
            assert [o for o, _ in outcomes] == ["failed", "failed", "failed", "failed", "sent"], outcomes
            assert "credentials not sent in the clear" in outcomes[0][1]
            assert "does not offer STARTTLS" in outcomes[1][1]
            assert "TLS handshake failed" in outcomes[2][1] and "CERTIFICATE_VERIFY_FAILED" in outcomes[2][1], outcomes[2]
            assert "AUTH answered 535" in outcomes[3][1]
        server.stop()
        log = open(os.path.join(data, "server.log"), encoding="utf-8", errors="replace").read()
        assert PASSWORD not in log
    finally:
        server.stop()
        secure_relay.stop()
        plain_relay.stop()
