#!/usr/bin/env python3
"""Prints the median of every criterion benchmark under target/criterion (the issue
targets are medians; criterion's console line shows the mean)."""
import json
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion"
for estimates in sorted(root.glob("**/new/estimates.json")):
    name = str(estimates.parent.parent.relative_to(root))
    median = json.loads(estimates.read_text())["median"]
    ci = median["confidence_interval"]
    print(f"{name:60s} median {median['point_estimate']:10.1f} ns  (95% CI {ci['lower_bound']:.1f}–{ci['upper_bound']:.1f})")
