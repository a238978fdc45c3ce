#!/usr/bin/env python3
"""Writes VietQR payloads made by an independent implementation (PyPI vietnam-qr-pay)
as JSON lines {"payload", "bin", "account", "amount", "purpose"}: the reference for
crates/detect/tests/vietqr_reference.rs. Deterministic for a given count."""
import json
import random
import sys

from vietnam_qr_pay import QRPay

BINS = ["970436", "970415", "970418", "970405", "970422", "970407", "970416", "970432", "970403", "970423", "970443", "970437", "970441", "970448", "970426"]
WORDS = ["Chuyen tien", "Thanh toan hoa don", "Nop phat", "Hoan tien", "Dat coc", "Phi dich vu", "ung ho"]

rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 200):
    bin_ = rng.choice(BINS)
    account = "".join(rng.choice("0123456789") for _ in range(rng.randint(6, 19)))
    amount = str(rng.randint(1, 500_000_000)) if rng.random() < 0.6 else None
    purpose = f"{rng.choice(WORDS)} {rng.randint(1, 99999)}" if rng.random() < 0.5 else None
    payload = QRPay.init_viet_qr(bank_bin=bin_, bank_number=account, amount=amount, purpose=purpose).build()
    print(json.dumps({"payload": payload, "bin": bin_, "account": account, "amount": amount, "purpose": purpose}))
