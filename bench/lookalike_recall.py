#!/usr/bin/env python3
"""Recall of the lookalike detector on the permutations that dnstwist (PyPI) generates
for every protected domain, per dnstwist fuzzer, and flags on the real domains.

    pip install dnstwist==20250130   # not a test dependency
    bench/lookalike_recall.py [--tlds com,net,top,...]

A permutation counts as found when the detector names the brand it was made from.
Permutations that are another protected brand's real domain, or that the Public Suffix
List does not accept, are left out (and counted)."""
import argparse
import collections
import json
import pathlib
import subprocess
import sys
import tempfile

root = pathlib.Path(__file__).resolve().parent.parent
brands = json.loads((root / "data" / "protected-brands.json").read_text())["brands"]
parser = argparse.ArgumentParser()
parser.add_argument("--tlds", default="com,net,org,vn,com.vn,top,xyz,vip,online,site,info,cc,shop,app,me,asia,click,link,store,live")
parser.add_argument("--misses", help="write the permutations not found to this file")
parser.add_argument("--words", default="hotro,cskh,online,khuyenmai,vn,app,login,xacthuc,nhanqua,uudai,dangnhap,secure,verify,support")
args = parser.parse_args()

subprocess.run(["cargo", "build", "--release", "-q", "-p", "canhgiac-detect", "--example", "lookalike_batch"], cwd=root, check=True)
batch = root / "target" / "release" / "examples" / "lookalike_batch"

with tempfile.TemporaryDirectory() as tmp:
    tlds = pathlib.Path(tmp, "tlds.txt")
    tlds.write_text("\n".join(args.tlds.split(",")) + "\n")
    words = pathlib.Path(tmp, "words.txt")
    words.write_text("\n".join(args.words.split(",")) + "\n")
    cases = []  # (brand key, fuzzer, domain)
    # --format list generates without any DNS look-up; one run per fuzzer keeps its name.
    fuzzers = ["addition", "bitsquatting", "cyrillic", "homoglyph", "hyphenation", "insertion", "omission", "plural",
               "repetition", "replacement", "subdomain", "transposition", "vowel-swap", "various"]
    extra_fuzzers = {"tld-swap": ["--tld", str(tlds)], "dictionary": ["--dictionary", str(words)]}
    for b in brands:
        for d in b["domains"]:
            runs = [(f, []) for f in fuzzers] + list(extra_fuzzers.items())
            for fuzzer, extra in runs:
                # exit status 2: this fuzzer makes nothing of this domain
                out = subprocess.run(["dnstwist", "--format", "list", "--fuzzers", fuzzer, *extra, d], capture_output=True, text=True)
                for domain in out.stdout.split():
                    if domain != d:
                        cases.append((b["key"], fuzzer, domain))
    real = [(b["key"], d) for b in brands for d in b["domains"] + b.get("owned", [])]
    popular = [l.split("\t")[0] for l in (root / "data" / "popular-domains-vn.tsv").read_text().splitlines() if l and not l.startswith("#")]
    lines = "\n".join(d for _, _, d in cases) + "\n" + "\n".join(d for _, d in real) + "\n" + "\n".join(popular) + "\n"
    result = subprocess.run([str(batch)], input=lines, capture_output=True, text=True, check=True).stdout.splitlines()

answers = {}
for line in result:
    domain, brand, technique = line.split("\t")
    answers[domain] = (brand, technique)

per_fuzzer = collections.defaultdict(lambda: [0, 0])
flagged_any = 0
skipped = collections.Counter()
for key, fuzzer, domain in cases:
    brand, _ = answers.get(domain, ("invalid", "-"))
    if brand in ("invalid", "official"):
        skipped[brand] += 1
        continue
    per_fuzzer[fuzzer][1] += 1
    if brand != "-":
        flagged_any += 1
    if brand == key:
        per_fuzzer[fuzzer][0] += 1
if args.misses:
    with open(args.misses, "w", encoding="utf-8") as f:
        for key, fuzzer, domain in cases:
            brand, technique = answers.get(domain, ("invalid", "-"))
            if brand not in ("invalid", "official") and brand != key:
                f.write(f"{key}\t{fuzzer}\t{domain}\t{domain.encode().decode('idna') if domain.startswith('xn--') or '.xn--' in domain else domain}\t{brand}\n")
found = sum(f for f, _ in per_fuzzer.values())
total = sum(t for _, t in per_fuzzer.values())
print(f"brands: {len(brands)}, real domains: {len(real)}, dnstwist permutations checked: {total} (left out: {dict(skipped)})")
for fuzzer, (f, t) in sorted(per_fuzzer.items()):
    print(f"  {fuzzer:14s} {f:6d}/{t:<6d} {100 * f / t:6.2f}%")
print(f"recall (flagged as the brand it was made from): {found}/{total} = {100 * found / total:.2f}%")
print(f"flagged as a lookalike of some protected brand: {flagged_any}/{total} = {100 * flagged_any / total:.2f}%")
false_flags = [d for _, d in real if answers.get(d, ("-",))[0] not in ("official",)]
print(f"real domains flagged: {len(false_flags)} {false_flags}")
print(f"fuzzers' mean recall (each fuzzer weighs the same): {sum(100 * f / t for f, t in per_fuzzer.values()) / len(per_fuzzer):.2f}%")
sys.exit(0)
