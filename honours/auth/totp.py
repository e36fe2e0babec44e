"""Time-based one-time passwords (RFC 6238, 30-second steps, 6 digits) and recovery codes: pure functions."""
import hashlib
import hmac
import secrets

import pyotp

from honours.core import clock
from honours.core.clock import PROVINCE_TZ

STEP_SECONDS = 30
# Codes from the previous and the next step are accepted too: phones' clocks drift and people type slowly.
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: recovery codes are copied from paper. 12 characters of 32 give 60 bits, out of reach of a
# brute force against the stored SHA-256 (unlike a 6-digit code, they need no slow hash).
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_secret() -> str:
    return pyotp.random_base32()


def current_step() -> int:
    """The time step of honours.clock.now() (the clock tests move)."""
    return int(clock.now().replace(tzinfo=PROVINCE_TZ).timestamp()) // STEP_SECONDS


def code_at(secret: str, step: int) -> str:
    return pyotp.TOTP(secret).generate_otp(step)


def matching_step(secret: str, code: str) -> int | None:
    """The time step `code` belongs to (within the drift allowance), or None."""
    code = "".join((code or "").split())
    if not secret or len(code) != 6 or not code.isdigit():
        return None
    now = current_step()
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(code_at(secret, step), code):
            return step
    return None


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def qr_data_uri(uri: str) -> str:
    """An SVG QR code as a data: URI for an <img> (no inline script or style needed)."""
    import segno

    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def new_recovery_codes() -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(12))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
    return codes


def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def recovery_code_hash(code: str) -> str:
    return hashlib.sha256(normalise_recovery_code(code).encode()).hexdigest()


def looks_like_recovery_code(code: str) -> bool:
    return len(normalise_recovery_code(code)) == 12
