"""A scripted Asterisk for the FastAGI tests: dials `agi://127.0.0.1:PORT/recharge` with the
`agi_*` block a PJSIP channel sends, then answers each AGI command as res_agi.c does, taking the
caller's keys for each GET DATA from a script.

Steps: ("keys", "50") → `200 result=50`; ("partial", "5") → `200 result=5 (timeout)`;
("silence",) → `200 result= (timeout)`; ("hangup",) → `200 result=-1`; ("hangup_line",) → a bare
`HANGUP` line and `511` to every later command.
"""
import socket

DEAD = "511 Command Not Permitted on a dead channel or intercept routine"


def call(port, uniqueid, callerid, steps, language="zh", timeout=60):
    """Plays one call; returns every command the server sent, in order."""
    env = {
        "agi_network": "yes", "agi_network_script": "recharge", "agi_request": f"agi://127.0.0.1:{port}/recharge",
        "agi_channel": "PJSIP/trunk-0000002a", "agi_language": language, "agi_type": "PJSIP", "agi_uniqueid": uniqueid,
        "agi_version": "20.11.1", "agi_callerid": callerid or "unknown", "agi_calleridname": "unknown", "agi_callingpres": "0",
        "agi_dnid": "95500", "agi_rdnis": "unknown", "agi_context": "hotline", "agi_extension": "95500", "agi_priority": "2",
        "agi_enhanced": "0.0", "agi_accountcode": "", "agi_threadid": "140245183252224",
    }
    steps = list(steps)
    commands = []
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        stream = sock.makefile("rw", newline="\n", encoding="utf-8")
        stream.write("".join(f"{k}: {v}\n" for k, v in env.items()) + "\n")
        stream.flush()
        dead = False
        while True:
            line = stream.readline()
            if not line:
                break
            command = line.rstrip("\n")
            commands.append(command)
            if dead:
                reply = DEAD
            elif command == "HANGUP":
                reply = "200 result=1"
            elif command.startswith("GET DATA"):
                step = steps.pop(0) if steps else ("silence",)
                kind = step[0]
                if kind == "keys":
                    reply = f"200 result={step[1]}"
                elif kind == "partial":
                    reply = f"200 result={step[1]} (timeout)"
                elif kind == "hangup":
                    reply = "200 result=-1"
                elif kind == "hangup_line":
                    dead = True
                    reply = "HANGUP\n" + DEAD
                else:
                    reply = "200 result= (timeout)"
            elif command.startswith(("STREAM FILE", "SAY ")):
                reply = "200 result=0 endpos=8000"
            else:
                reply = "200 result=0"
            stream.write(reply + "\n")
            stream.flush()
            if command == "HANGUP":
                break
    return commands


def prompts(commands):
    """The prompt files played, by name (`baohao/zh/welcome` → `welcome`)."""
    return [c.split(" ")[2].rsplit("/", 1)[-1] for c in commands if c.startswith(("STREAM FILE", "GET DATA"))]
