#!/usr/bin/env python3
"""Reference client of canhgiac's hash-prefix lookups (docs/hash-prefix.md).

A client checks a phone number, a bank account or a website without telling the
server which one: it normalises the identifier exactly as the server does, hashes it
with the deployment's salt (SHA-256 of the salt's UTF-8 bytes followed by the lookup
key's), sends only the first 4 bytes, and compares the full hashes it gets back.
Offline clients keep the prefix list and ask only when a prefix is on it.

Standard library only, plus the `idna` package (UTS #46, as browsers and the server
map international domain names).

    python3 canhgiac_hashprefix.py hash --salt SALT < lines   # kind<TAB>value[<TAB>bin]
    python3 canhgiac_hashprefix.py check --server URL --key cgk_… phone "0912 345 678"
"""

import argparse
import base64
import hashlib
import json
import sys
import urllib.parse
import urllib.request

import idna

# Retired 11-digit mobile prefixes (after the 0) and today's (2018 renumbering).
OLD_MOBILE_PREFIXES = {
    "162": "32", "163": "33", "164": "34", "165": "35", "166": "36", "167": "37",
    "168": "38", "169": "39", "120": "70", "121": "79", "122": "77", "126": "76",
    "128": "78", "123": "83", "124": "84", "125": "85", "127": "81", "129": "82",
    "186": "56", "188": "58", "199": "59",
}
PHONE_SEPARATORS = set(" .-()/\u00a0_")
ACCOUNT_SEPARATORS = set(" .-_\u00a0")


class NotAnIdentifier(ValueError):
    """The text cannot be normalised as the kind asked."""


def phone_key(text):
    """`phone:+84…` for a phone number written any usual way."""
    text = text.strip()
    if text.startswith(("tel:", "TEL:")):
        text = text[4:]
    digits, plus = [], False
    for c in text:
        if "0" <= c <= "9":
            digits.append(c)
        elif c == "+" and not digits and not plus:
            plus = True
        elif "\uff10" <= c <= "\uff19":  # full-width digits
            digits.append(chr(ord(c) - 0xFF10 + ord("0")))
        elif c in PHONE_SEPARATORS:
            continue
        else:
            raise NotAnIdentifier(f"bad character {c!r}")
    digits = "".join(digits)
    if not digits:
        raise NotAnIdentifier("no digits")
    if not plus and digits.startswith("00"):
        digits, plus = digits[2:], True
    if plus:
        if not digits.startswith("84"):
            return "phone:+" + digits  # a foreign number, already in E.164
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        national = digits[2:]
    else:
        national = digits
    if national.startswith("0"):
        national = national[1:]
    if len(national) == 10:
        for old, new in OLD_MOBILE_PREFIXES.items():
            if national.startswith(old):
                national = new + national[len(old):]
                break
    return "phone:+84" + national


def account_key(bin_code, number):
    """`bank_account:<BIN>:<NUMBER>`: the bank's 6-digit BIN (NAPAS) and the account
    number in upper case without spaces, dots, hyphens or underscores."""
    bin_code = bin_code.strip()
    if len(bin_code) != 6 or not bin_code.isdigit():
        raise NotAnIdentifier("a BIN is 6 digits")
    out = []
    for c in number.strip():
        if c.isascii() and c.isalnum():
            out.append(c.upper())
        elif c in ACCOUNT_SEPARATORS:
            continue
        else:
            raise NotAnIdentifier(f"bad character {c!r}")
    if not out:
        raise NotAnIdentifier("no account number")
    return f"bank_account:{bin_code}:{''.join(out)}"


def website_keys(text):
    """`url:<host>` for the host and each parent domain, most specific first: the
    server lists the host that was reported, and a lookup tries every parent."""
    text = text.strip()
    if "://" not in text:
        text = "http://" + text
    host = urllib.parse.urlsplit(text).hostname
    if not host:
        raise NotAnIdentifier("no host")
    host = host.rstrip(".")
    if host.startswith("[") or all(p.isdigit() for p in host.split(".")):
        return ["url:" + host]
    host = idna.encode(host, uts46=True, transitional=False).decode("ascii").lower()
    if host.startswith("www."):
        host = host[4:]
    labels = host.split(".")
    return ["url:" + ".".join(labels[i:]) for i in range(len(labels) - 1)]


def full_hash(salt, key):
    """The salted SHA-256 of a lookup key."""
    return hashlib.sha256(salt.encode("utf-8") + key.encode("utf-8")).digest()


class PrefixList:
    """The offline list: whole once, then the changes since its version."""

    def __init__(self):
        self.version = 0
        self.salt = None
        self.prefixes = set()

    def apply(self, answer):
        """Applies an answer of /api/v1/partner/hash-prefixes; checks the checksum."""
        split = lambda b64: {
            bytes(raw[i:i + 4]) for raw in [base64.b64decode(b64)] for i in range(0, len(raw), 4)
        }
        if answer["full"]:
            self.prefixes = split(answer["additions"])
        else:
            self.prefixes -= split(answer["removals"])
            self.prefixes |= split(answer["additions"])
        digest = hashlib.sha256(b"".join(sorted(self.prefixes))).hexdigest()
        if digest != answer["checksum"]:
            raise ValueError("the list does not match the server's checksum: fetch it whole")
        self.version = answer["version"]
        self.salt = answer["salt"]

    def might_list(self, key):
        return full_hash(self.salt, key)[:4] in self.prefixes


class Client:
    """Looks identifiers up on a canhgiac server with an `indicators:read` key."""

    def __init__(self, server, key):
        self.server = server.rstrip("/")
        self.key = key
        self.offline = PrefixList()

    def _get(self, path):
        request = urllib.request.Request(
            self.server + path, headers={"Authorization": "Bearer " + self.key}
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.load(answer)

    def update(self):
        """Brings the offline list up to date (whole the first time)."""
        answer = self._get(f"/api/v1/partner/hash-prefixes?since={self.offline.version}")
        try:
            self.offline.apply(answer)
        except ValueError:
            self.offline = PrefixList()
            self.offline.apply(self._get("/api/v1/partner/hash-prefixes?since=0"))

    def lookup(self, keys):
        """The server's facts on the first listed key, or None. Only 4-byte prefixes
        leave the client; keys whose prefix is not on the offline list (once updated)
        are not asked about at all."""
        if self.offline.salt is None:
            self.update()
        for key in keys:
            if not self.offline.might_list(key):
                continue
            digest = full_hash(self.offline.salt, key)
            answer = self._get(f"/api/v1/partner/hashes/{digest[:4].hex()}")
            for match in answer["matches"]:
                if match["hash"] == digest.hex():
                    return match
        return None


def keys_of(kind, value, bin_code=None):
    if kind == "phone":
        return [phone_key(value)]
    if kind == "bank_account":
        return [account_key(bin_code or "", value)]
    if kind == "url":
        return website_keys(value)
    raise NotAnIdentifier(f"unknown kind {kind}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    hash_cmd = sub.add_parser("hash", help="hash kind<TAB>value[<TAB>bin] lines from stdin")
    hash_cmd.add_argument("--salt", required=True)
    check = sub.add_parser("check", help="look one identifier up on a server")
    check.add_argument("--server", required=True)
    check.add_argument("--key", required=True)
    check.add_argument("kind", choices=["phone", "bank_account", "url"])
    check.add_argument("value")
    check.add_argument("--bin")
    args = parser.parse_args()
    if args.command == "hash":
        for line in sys.stdin:
            parts = line.rstrip("\n").split("\t")
            try:
                key = keys_of(parts[0], parts[1], parts[2] if len(parts) > 2 else None)[0]
                print(full_hash(args.salt, key).hex())
            except NotAnIdentifier as e:
                print(f"error: {e}")
        return 0
    client = Client(args.server, args.key)
    found = client.lookup(keys_of(args.kind, args.value, args.bin))
    print(json.dumps(found, ensure_ascii=False) if found else "not listed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
