"""A real Kannel for tests: Debian bearerbox + smsbox, with the fake SMSC (kannel-extras fakesmsc)
standing in for the operator's network and the subscriber's phone."""
import os
import signal
import socket
import subprocess
import time
import urllib.parse

from conftest import free_port

SMS_SECRET = "sms-callback-secret-0123456789"


def port_open(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for(predicate, timeout=30, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Kannel:
    """bearerbox + smsbox + fakesmsc on free ports, configured for one Baohao server."""

    def __init__(self, workdir, baohao_port):
        self.dir = workdir
        self.admin, self.box, self.smsc, self.send = free_port(), free_port(), free_port(), free_port()
        self.conf = os.path.join(workdir, "kannel.conf")
        get_url = (f"http://127.0.0.1:{baohao_port}/v1/sms/inbound?from=%p&to=%P&text=%a&id=%I&smsc=%i&ts=%t&key={SMS_SECRET}")
        with open(self.conf, "w") as f:
            f.write(f"""group = core
admin-port = {self.admin}
smsbox-port = {self.box}
admin-password = kannel-admin-pw
box-allow-ip = 127.0.0.1
log-level = 1
log-file = "{workdir}/bearerbox.log"

group = smsc
smsc = fake
smsc-id = fake
port = {self.smsc}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
sendsms-port = {self.send}
log-file = "{workdir}/smsbox.log"
log-level = 1

group = sendsms-user
username = baohao
password = kannel-send-pw
max-messages = 4
concatenation = true

group = sms-service
keyword = default
catch-all = true
max-messages = 3
accept-x-kannel-headers = true
get-url = "{get_url}"
""")
        self.procs = []

    def out(self, name):
        return open(os.path.join(self.dir, name), "wb")

    def start_boxes(self):
        """bearerbox and smsbox; messages wait in bearerbox until the fake SMSC connects."""
        self.procs.append(subprocess.Popen(["/usr/sbin/bearerbox", self.conf], stdout=self.out("bearerbox.out"), stderr=subprocess.STDOUT))
        wait_for(lambda: port_open(self.box), what="bearerbox")
        self.procs.append(subprocess.Popen(["/usr/sbin/smsbox", self.conf], stdout=self.out("smsbox.out"), stderr=subprocess.STDOUT))
        wait_for(lambda: port_open(self.send), what="smsbox")

    def start_phone(self, inbound_text):
        """The fake SMSC: sends one message from the phone and prints every message it receives."""
        self.fake_out = os.path.join(self.dir, "fakesmsc.out")
        self.procs.append(subprocess.Popen(
            ["/usr/lib/kannel/test/fakesmsc", "-H", "127.0.0.1", "-r", str(self.smsc), "-i", "1", "-m", "1",
             f"13800138000 10086 text {inbound_text}"], stdout=self.out("fakesmsc.out"), stderr=subprocess.STDOUT))

    def received(self):
        with open(self.fake_out, "rb") as f:
            return [line.decode("utf-8", "replace") for line in f if b"Got message" in line]

    def stop(self):
        for proc in reversed(self.procs):
            proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


    def start_receiver(self):
        """The fake SMSC as a phone that sends nothing and prints every message it receives."""
        self.fake_out = os.path.join(self.dir, "fakesmsc.out")
        self.procs.append(subprocess.Popen(
            ["/usr/lib/kannel/test/fakesmsc", "-H", "127.0.0.1", "-r", str(self.smsc), "-i", "1", "-m", "0", "1 2 text unused"],
            stdout=self.out("fakesmsc.out"), stderr=subprocess.STDOUT))

    def texts_to(self, number):
        """Every complete text the fake SMSC received for `number` (national digits), in order,
        with concatenated parts (UDH 05 00 03 ref total seq) joined and UCS-2 decoded."""
        if not os.path.exists(getattr(self, "fake_out", "")):
            return []
        decode = lambda text: urllib.parse.unquote_to_bytes(text.replace("+", "%20"))
        texts, parts = [], {}
        for line in self.received():
            body = line.split(": <", 1)[1].rstrip().rstrip(">")
            fields = body.split(" ", 2)
            if len(fields) < 3 or number not in fields[1]:
                continue
            kind_and_data = fields[2]
            if kind_and_data.startswith("udh "):
                udh_text, data_text = kind_and_data[4:].split(" data ", 1)
                udh = decode(udh_text)
                chunks = parts.setdefault(udh[3], {})
                chunks[udh[5]] = decode(data_text)
                if len(chunks) == udh[4]:
                    texts.append(b"".join(chunks[i] for i in sorted(chunks)).decode("utf-16-be"))
            elif kind_and_data.startswith("ucs-2 "):
                texts.append(decode(kind_and_data[6:]).decode("utf-16-be"))
            elif kind_and_data.startswith("data "):
                texts.append(decode(kind_and_data[5:]).decode("utf-16-be"))
            elif kind_and_data.startswith("text "):
                texts.append(kind_and_data[5:])
        return texts
