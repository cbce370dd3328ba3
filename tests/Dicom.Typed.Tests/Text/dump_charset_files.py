#!/usr/bin/python3
"""Dump every text element of pydicom's charset test files as JSON lines.

Used by CharsetFilesTests (run at test time with /usr/bin/python3, which must have pydicom).
For each PN, SH, LO, ST, LT, UT and UC element (also inside sequences) prints:
  file, path (tag path), vr, charset (the Specific Character Set values in effect: an
  item's own (0008,0005) or the inherited one), raw (hex of the undecoded value bytes,
  padding included) and decoded (pydicom's value as str; multiple values joined by '\\').
Usage: dump_charset_files.py [directory]   (default: pydicom's own charset_files)
"""
import json
import os
import sys
import warnings

import pydicom
from pydicom.dataelem import RawDataElement
from pydicom.data import get_charset_files  # noqa: F401  (fails early if the data package is missing)

TEXT_VRS = {"PN", "SH", "LO", "ST", "LT", "UT", "UC"}


def charset_values(ds, inherited):
    if 0x00080005 in ds:
        value = ds[0x00080005].value
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value]
    return inherited


def walk(ds, inherited, path, out, fname):
    charset = charset_values(ds, inherited)
    for tag in sorted(ds.keys()):
        raw = ds.get_item(tag)
        elem = ds[tag]
        tag_text = "%04X%04X" % (tag.group, tag.element)
        if elem.VR == "SQ":
            for i, item in enumerate(elem.value):
                walk(item, charset, path + [tag_text, str(i)], out, fname)
            continue
        if elem.VR not in TEXT_VRS:
            continue
        if isinstance(raw, RawDataElement):
            raw_bytes = raw.value or b""
        else:  # already converted (should not happen for freshly read files)
            continue
        value = elem.value
        if value is None:
            decoded = ""
        elif isinstance(value, (list, pydicom.multival.MultiValue)):
            decoded = "\\".join(str(v) for v in value)
        else:
            decoded = str(value)
        out.append({
            "file": fname,
            "path": "/".join(path + [tag_text]),
            "vr": elem.VR,
            "charset": charset,
            "raw": raw_bytes.hex(),
            "decoded": decoded,
        })


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(pydicom.__file__), "data", "charset_files")
    out = []
    warnings.simplefilter("ignore")
    for fname in sorted(os.listdir(directory)):
        if not fname.endswith(".dcm"):
            continue
        ds = pydicom.dcmread(os.path.join(directory, fname))
        walk(ds, [], [], out, fname)
    print(json.dumps({"pydicom": pydicom.__version__, "directory": directory, "elements": out}, ensure_ascii=False))


if __name__ == "__main__":
    main()
