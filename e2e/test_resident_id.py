"""Differential test of resident ID checks: `baohao id check` against PyPI `python-stdnum`
(`stdnum.cn.ric`) over thousands of generated numbers, valid and invalid, with "today" pinned by
the test clock. Baohao also refuses birth dates after today (stdnum does not look at the
calendar) and checks the province part of the area code only (stdnum knows every county's
years of use), so numbers stdnum refuses only for a county code are not generated."""
import datetime
import os
import random
import subprocess

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from conftest import BIN, DEFAULT_NOW

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
TODAY = datetime.date.fromisoformat(DEFAULT_NOW[:10])


def with_check(first17):
    return first17 + CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def regions(rng):
    """Area codes stdnum accepts for a birth in 1990, taken from its own data."""
    found = []
    while len(found) < 60:
        code = f"{rng.choice(['11', '31', '44', '51', '65', '81', '82', '71'])}{rng.randint(0, 9999):04d}"
        try:
            ric.get_birth_place(with_check(code + "19900101123"))
            found.append(code)
        except (ValidationError, KeyError):  # KeyError: stdnum's own lookup of a city-level code
            continue
    return found


def area_for(areas, birth, rng):
    """An area code stdnum accepts for a birth in that year."""
    for area in rng.sample(areas, len(areas)):
        try:
            ric.get_birth_place(with_check(f"{area}{birth:%Y%m%d}123"))
            return area
        except (ValidationError, KeyError):
            continue
    return areas[0]


def generate(rng, count):
    areas = regions(rng)
    cases = []
    for _ in range(count):
        birth = datetime.date(1990, 1, 1) + datetime.timedelta(days=rng.randint(-20000, 13000))
        area = area_for(areas, birth, rng)
        base = with_check(f"{area}{birth:%Y%m%d}{rng.randint(0, 999):03d}")
        kind = rng.random()
        if kind < 0.4:
            n = base
        elif kind < 0.5:
            n = base.lower()  # a lower-case x is the same number
        elif kind < 0.65:  # a wrong check character
            n = base[:17] + rng.choice([c for c in CHECK if c != base[17]])
        elif kind < 0.75:  # a day that does not exist
            n = with_check(f"{area}{birth:%Y}{rng.choice(['0230', '0431', '1301', '0000', '0632', '0229'])}{rng.randint(0, 999):03d}")
        elif kind < 0.8:  # a province that does not exist
            n = with_check(f"{rng.choice(['00', '19', '29', '39', '49', '55', '66', '72', '80', '84', '99'])}{area[2:]}{birth:%Y%m%d}123")
        elif kind < 0.9:  # wrong length or characters
            n = rng.choice([base[:17], base + "1", base[:10] + "A" + base[11:], base[:17] + "Y", " " * 2 + base[:16]])
        else:  # born after today
            future = TODAY + datetime.timedelta(days=rng.randint(1, 4000))
            n = with_check(f"{area}{future:%Y%m%d}{rng.randint(0, 999):03d}")
        cases.append(n)
    return cases


PROVINCES = {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44",
             "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"}


def refused_only_for_the_county(number):
    """stdnum refuses a well-formed number whose county code was not in use in its birth year."""
    n = ric.compact(number)
    if len(n) != 18 or not n[:17].isdigit() or n[17] != ric.calc_check_digit(n) or n[:2] not in PROVINCES:
        return False
    try:
        ric.get_birth_date(n)
    except ValidationError:
        return False
    try:
        ric.get_birth_place(n)
        return False
    except (ValidationError, KeyError):
        return True


def expected(number):
    try:
        ric.validate(number)
    except ValidationError:
        return False
    return ric.get_birth_date(number) <= TODAY


def test_resident_ids_against_stdnum():
    rng = random.Random(11643)
    cases = generate(rng, 4000)
    env = dict(os.environ, BAOHAO_ALLOW_TEST_CLOCK="1", BAOHAO_TEST_NOW=DEFAULT_NOW)
    out = subprocess.run([BIN, "id", "check"], input="\n".join(cases) + "\n", capture_output=True, text=True, env=env, check=True)
    answers = out.stdout.splitlines()
    assert len(answers) == len(cases)
    disagreements = []
    kinds = {True: 0, False: 0}
    skipped = 0
    for number, answer in zip(cases, answers):
        if refused_only_for_the_county(number):
            skipped += 1
            continue
        want = expected(number)
        kinds[want] += 1
        got = answer.split("\t")
        if (got[0] == "valid") != want:
            disagreements.append((number, answer))
        if got[0] == "valid":
            # Only the last four characters ever leave the checker, and the birth date read is stdnum's.
            assert got[1] == "*" * 14 + number.strip().upper()[-4:]
            assert got[2] == ric.get_birth_date(number).isoformat()
            assert number.strip().upper()[:14] not in out.stdout
    assert not disagreements, disagreements[:10]
    assert kinds[True] > 1000 and kinds[False] > 1000 and skipped < 1000, (kinds, skipped)
