#!/usr/bin/env python3
"""Reads phone numbers (one per line) and prints libphonenumber's verdict on each as a
JSON line: {"input", "valid", "e164", "type"}, parsing with region VN."""
import json
import sys

import phonenumbers
from phonenumbers import PhoneNumberType as T

TYPES = {
    T.MOBILE: "mobile", T.FIXED_LINE: "fixed_line", T.FIXED_LINE_OR_MOBILE: "mobile",
    T.TOLL_FREE: "toll_free", T.PREMIUM_RATE: "premium_rate", T.VOIP: "voip",
}

for line in sys.stdin:
    text = line.rstrip("\n")
    try:
        n = phonenumbers.parse(text, "VN")
        valid = phonenumbers.is_valid_number(n)
    except phonenumbers.NumberParseException:
        n, valid = None, False
    out = {"input": text, "valid": valid, "e164": None, "type": None}
    if valid:
        out["e164"] = phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)
        out["type"] = TYPES.get(phonenumbers.number_type(n), "other")
    print(json.dumps(out))
