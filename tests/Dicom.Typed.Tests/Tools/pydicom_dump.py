#!/usr/bin/python3
"""Dump DICOM files as pydicom reads them, for element-by-element comparison with Dicom.Typed.

Usage: pydicom_dump.py FILE... > out.jsonl   (one JSON object per line and file)
Binary values are given as length and SHA-1 of the bytes pydicom holds; strings as pydicom decodes them
(Specific Character Set applied); numbers as numbers; sequences as lists of items.
"""
import hashlib, json, sys, warnings
warnings.simplefilter("ignore")
import pydicom
from pydicom.multival import MultiValue
from pydicom.sequence import Sequence
from pydicom.valuerep import PersonName

BINARY = {"OB", "OW", "OF", "OD", "OL", "OV", "UN", "OB or OW", "US or SS or OW", "OB or OW"}

def norm(v):
    if isinstance(v, PersonName):
        return str(v)
    if isinstance(v, bytes):
        return {"len": len(v), "sha1": hashlib.sha1(v).hexdigest()}
    if isinstance(v, float):
        return v
    if isinstance(v, int):
        return int(v)
    return str(v)

def element(e):
    out = {"tag": "%08X" % e.tag, "vr": e.VR}
    if e.VR == "SQ":
        out["items"] = [dataset(i) for i in (e.value or [])]
        return out
    v = e.value
    if v is None or v == "" or (isinstance(v, (list, MultiValue)) and len(v) == 0):
        out["values"] = []
    elif isinstance(v, bytes) and (e.VR in BINARY or " or " in e.VR):
        out["binary"] = norm(v)
    elif isinstance(v, (list, MultiValue)):
        out["values"] = [norm(x) for x in v]
    else:
        out["values"] = [norm(v)]
    return out

def dataset(ds):
    res = []
    for e in ds:
        try:
            res.append(element(e))
        except Exception as ex:  # value conversion failed in pydicom
            res.append({"tag": "%08X" % e.tag, "vr": str(getattr(e, "VR", "")), "error": repr(ex)})
    return res

for path in sys.argv[1:]:
    rec = {"file": path}
    try:
        ds = pydicom.dcmread(path, force=True)
        rec["charset"] = list(getattr(ds, "_character_set", []) or [])
        rec["elements"] = dataset(ds)
    except Exception as ex:
        rec["error"] = repr(ex)
    print(json.dumps(rec))
