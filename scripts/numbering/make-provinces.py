"""Writes Sources/BaohaoDomain/Resources/numbering/mobile-provinces.txt: the province (归属地) of
each mainland mobile number block of 7 leading digits, as ranges.

Source: libphonenumber's geocoding data (Apache License 2.0), as shipped by PyPI `phonenumbers`;
run with the version printed in the file's header to reproduce it. City detail is dropped: the
portal shows the province to catch a mistyped number, nothing finer.
"""
import re
import sys

import phonenumbers
from phonenumbers.geodata import GEOCODE_DATA

# GB/T 2260 codes of the 31 mainland provincial-level divisions, by the names the data uses.
CODES = {
    "北京": 11, "天津": 12, "河北": 13, "山西": 14, "内蒙古": 15, "辽宁": 21, "吉林": 22, "黑龙江": 23,
    "上海": 31, "江苏": 32, "浙江": 33, "安徽": 34, "福建": 35, "江西": 36, "山东": 37, "河南": 41,
    "湖北": 42, "湖南": 43, "广东": 44, "广西": 45, "海南": 46, "重庆": 50, "四川": 51, "贵州": 52,
    "云南": 53, "西藏": 54, "陕西": 61, "甘肃": 62, "青海": 63, "宁夏": 64, "新疆": 65,
}


def code(name):
    for short, number in CODES.items():
        if name.startswith(short):
            return number
    raise SystemExit(f"no province for {name!r}")


def main(out):
    slots = {}
    # Shorter prefixes first, so a longer one overrides the block it refines.
    for key in sorted((k for k in GEOCODE_DATA if re.match(r"^861[3-9]", k) and "zh" in GEOCODE_DATA[k]), key=len):
        digits = key[2:]
        if len(digits) > 7:
            continue
        width = 7 - len(digits)
        first = int(digits) * 10**width
        for block in range(first, first + 10**width):
            slots[block] = code(GEOCODE_DATA[key]["zh"])
    ranges = []
    for block in sorted(slots):
        if ranges and ranges[-1][1] == block - 1 and ranges[-1][2] == slots[block]:
            ranges[-1][1] = block
        else:
            ranges.append([block, block, slots[block]])
    with open(out, "w") as f:
        f.write(f"# Mainland mobile blocks (first 7 digits) to GB/T 2260 province codes: first last code.\n")
        f.write(f"# From libphonenumber geocoding data (Apache-2.0) in PyPI phonenumbers {phonenumbers.__version__};\n")
        f.write("# made by scripts/numbering/make-provinces.py. Blocks not listed have no known province.\n")
        for first, last, number in ranges:
            f.write(f"{first} {last} {number}\n")
    print(f"{len(ranges)} ranges, {len(slots)} blocks")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "Sources/BaohaoDomain/Resources/numbering/mobile-provinces.txt")
