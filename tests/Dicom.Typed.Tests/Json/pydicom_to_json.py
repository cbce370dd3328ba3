#!/usr/bin/python3
"""Prints {"<path>": <pydicom's DICOM JSON of the data set>, ...} for the DICOM files given as arguments.

Used by DicomJsonPydicomTests to compare Dicom.Typed's DICOM JSON writer with pydicom's
Dataset.to_json_dict() (all binary values inline, no bulk data handler). A file that pydicom cannot
convert maps to {"error": "<message>"}.
"""
import json
import sys

import pydicom

out = {}
for path in sys.argv[1:]:
    try:
        ds = pydicom.dcmread(path, force=True)
        out[path] = ds.to_json_dict(bulk_data_threshold=1 << 62)
    except Exception as e:  # reported, compared by the test
        out[path] = {"error": "%s: %s" % (type(e).__name__, e)}
json.dump(out, sys.stdout, allow_nan=True)
