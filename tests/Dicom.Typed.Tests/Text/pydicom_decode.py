#!/usr/bin/python3
"""Decode byte vectors with pydicom's charset module (differential tests).

stdin: JSON list of {"charset": [values of (0008,0005)], "hex": value bytes, "kind": "SingleValue"|"MultiValue"|"PersonName"}
stdout: JSON list of decoded strings, splitting and delimiting as pydicom does for ST/LT/UT, SH/LO/UC and PN
(PN: component groups split on '=', each decoded with '^' as delimiter; multi-valued: split on '\\' first).
"""
import json
import sys
import warnings

from pydicom.charset import convert_encodings, decode_bytes
from pydicom.valuerep import PN_DELIMS, TEXT_VR_DELIMS


def decode(item):
    encodings = convert_encodings(item["charset"] or [""])
    raw = bytes.fromhex(item["hex"])
    kind = item["kind"]
    if kind == "SingleValue":
        return decode_bytes(raw, encodings, TEXT_VR_DELIMS)
    values = raw.split(b"\\")
    if kind == "MultiValue":
        return "\\".join(decode_bytes(v, encodings, TEXT_VR_DELIMS) for v in values)
    return "\\".join(
        "=".join(decode_bytes(g, encodings, PN_DELIMS) for g in v.split(b"="))
        for v in values)


def main():
    warnings.simplefilter("ignore")
    items = json.load(sys.stdin)
    print(json.dumps([decode(i) for i in items], ensure_ascii=False))


if __name__ == "__main__":
    main()
