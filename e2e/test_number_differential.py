"""Differential test of number parsing: `baohao number parse` against PyPI `phonenumbers` over
thousands of generated inputs in the forms people type."""
import random
import subprocess

import phonenumbers as pn

from conftest import BIN

MOBILE_TYPES = (pn.PhoneNumberType.MOBILE, pn.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def forms(national, rng):
    """The ways a person writes the same mainland number."""
    a, b, c = national[:3], national[3:7], national[7:]
    return rng.choice([
        national, f"{a} {b} {c}", f"{a}-{b}-{c}", f"+86{national}", f"+86 {a} {b} {c}", f"+86-{a}-{b}-{c}",
        f"0086{national}", f"0086 {a} {b} {c}", f"86{national}", f"(+86) {a}.{b}.{c}",
    ])


def generate(rng, count):
    cases = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.75:  # any 11-digit number starting with 1: allocated and unallocated ranges
            national = "1" + "".join(rng.choice("0123456789") for _ in range(10))
            cases.append(("CN", forms(national, rng)))
        elif kind < 0.85:  # wrong lengths
            digits = "1" + "".join(rng.choice("0123456789") for _ in range(rng.choice([8, 9, 11, 12])))
            cases.append(("CN", rng.choice([digits, "+86" + digits])))
        else:  # other countries' valid mobile numbers, written internationally
            region = rng.choice(["GB", "US", "HK", "ID", "IN", "DE", "JP", "AU", "SG", "FR"])
            example = pn.example_number_for_type(region, pn.PhoneNumberType.MOBILE)
            national = str(example.national_number)
            national = national[:-4] + "".join(rng.choice("0123456789") for _ in range(4))
            cases.append((region, rng.choice([f"+{example.country_code}{national}", f"00{example.country_code} {national}", f"+{example.country_code} {national}"])))
    return cases


def oracle(region, text):
    try:
        number = pn.parse(text, "CN")
    except pn.NumberParseException:
        return None
    if not pn.is_valid_number(number) or pn.number_type(number) not in MOBILE_TYPES:
        return None
    return pn.format_number(number, pn.PhoneNumberFormat.E164)


def test_parsing_agrees_with_phonenumbers():
    rng = random.Random(86)
    cases = generate(rng, 4000)
    out = subprocess.run([BIN, "number", "parse"], input="\n".join(t for _, t in cases) + "\n",
                         capture_output=True, text=True, timeout=120, check=True).stdout.splitlines()
    assert len(out) == len(cases)
    mainland_disagreements, foreign_disagreements = [], []
    checked_valid = 0
    for (region, text), line in zip(cases, out):
        ours = None if line.startswith("invalid") else line.split("\t")[0]
        theirs = oracle(region, text)
        if region == "CN":
            # Mainland: the same verdict and the same E.164, number for number.
            if ours != theirs:
                mainland_disagreements.append((text, ours, theirs))
            checked_valid += theirs is not None
        elif theirs is not None and ours != theirs:
            # Elsewhere Baohao checks only E.164 length, so it may accept more; a number the
            # oracle calls a valid mobile must come out identical.
            foreign_disagreements.append((text, ours, theirs))
    assert not mainland_disagreements, mainland_disagreements[:20]
    assert not foreign_disagreements, foreign_disagreements[:20]
    assert checked_valid > 1000  # the generator really exercised valid mainland numbers
