"""A small ESC/POS decoder, independent of the product: it knows the commands a receipt printer
uses (ESC @, ESC a, ESC E, ESC d, GS !, GS V), refuses any other control byte, and gives back the
printed lines as text (GB18030) with the alignment, size and emphasis each was printed in."""
import unicodedata


class DecodeError(Exception):
    pass


def columns(text):
    """Columns a line takes in font A: two for a wide or full-width character."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def decode(data):
    state = {"align": 0, "double": False, "bold": False}
    lines, current, events = [], bytearray(), []
    i = 0

    def need(n):
        if i + n > len(data):
            raise DecodeError(f"truncated command at byte {i}")

    while i < len(data):
        b = data[i]
        if b == 0x1B:
            need(2)
            cmd = data[i + 1]
            if cmd == 0x40:
                if current:
                    raise DecodeError("ESC @ in the middle of a line")
                events.append("init")
                i += 2
            elif cmd == 0x61:
                need(3)
                if data[i + 2] not in (0, 1, 2, 48, 49, 50):
                    raise DecodeError("bad ESC a")
                state["align"] = data[i + 2] % 48
                i += 3
            elif cmd == 0x45:
                need(3)
                state["bold"] = bool(data[i + 2] & 1)
                i += 3
            elif cmd == 0x64:
                need(3)
                events.append(("feed", data[i + 2]))
                i += 3
            else:
                raise DecodeError(f"unknown ESC {cmd:#x}")
        elif b == 0x1D:
            need(2)
            cmd = data[i + 1]
            if cmd == 0x21:
                need(3)
                state["double"] = data[i + 2] == 0x11
                i += 3
            elif cmd == 0x56:
                need(3)
                m = data[i + 2]
                if m in (0, 1, 48, 49):
                    i += 3
                elif m in (65, 66):
                    need(4)
                    i += 4
                else:
                    raise DecodeError("bad GS V")
                events.append("cut")
            else:
                raise DecodeError(f"unknown GS {cmd:#x}")
        elif b == 0x0A:
            lines.append({"text": bytes(current).decode("gb18030"), **state})
            current = bytearray()
            i += 1
        elif b < 0x20 or b == 0x7F:
            raise DecodeError(f"stray control byte {b:#x} at {i}")
        else:
            current.append(b)
            i += 1
    if current:
        raise DecodeError("text after the last line feed")
    return lines, events
