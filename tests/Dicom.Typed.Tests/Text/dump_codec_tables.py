#!/usr/bin/python3
"""Dump the code tables of the DICOM code elements as decoded by the Python codecs pydicom uses.

Output: JSON object {element name: [code point or -1, ...]}; single-byte G1 sets list bytes
0x80-0xFF, double-byte sets list the 94x94 positions row by row (0x2121, 0x2122, ... 0x7E7E).
Used by CodeTableTests to cross-check the tables Dicom.Typed builds from .NET code pages.
"""
import json


def single(encoding):
    out = []
    for b in range(0x80, 0x100):
        try:
            s = bytes([b]).decode(encoding)
            out.append(ord(s) if len(s) == 1 else -1)
        except UnicodeDecodeError:
            out.append(-1)
    return out


def double(make, encoding):
    out = []
    for r in range(0x21, 0x7F):
        for c in range(0x21, 0x7F):
            try:
                s = make(r, c).decode(encoding)
                out.append(ord(s) if len(s) == 1 else -1)
            except UnicodeDecodeError:
                out.append(-1)
    return out


def katakana():
    out = []
    for b in range(0x80, 0x100):
        out.append(ord(bytes([b]).decode("shift_jis")) if 0xA1 <= b <= 0xDF else -1)
    return out


tables = {
    "ISO IR 100": single("latin_1"),
    "ISO IR 101": single("iso8859_2"),
    "ISO IR 109": single("iso8859_3"),
    "ISO IR 110": single("iso8859_4"),
    "ISO IR 144": single("iso8859_5"),
    "ISO IR 127": single("iso8859_6"),
    "ISO IR 126": single("iso8859_7"),
    "ISO IR 138": single("iso8859_8"),
    "ISO IR 148": single("iso8859_9"),
    "ISO IR 203": single("iso8859_15"),
    "ISO IR 166": single("tis_620"),
    "ISO IR 13": katakana(),
    "JIS X 0208": double(lambda r, c: b"\x1b$B" + bytes([r, c]) + b"\x1b(B", "iso2022_jp"),
    "JIS X 0212": double(lambda r, c: b"\x1b$(D" + bytes([r, c]) + b"\x1b(B", "iso2022_jp_2"),
    "KS X 1001": double(lambda r, c: bytes([r | 0x80, c | 0x80]), "euc_kr"),
    "GB 2312": double(lambda r, c: bytes([r | 0x80, c | 0x80]), "gb2312"),
}
print(json.dumps(tables))
