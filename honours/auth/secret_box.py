"""Secrets kept encrypted at rest (the TOTP seeds): Fernet (AES-128-CBC + HMAC-SHA256) with a key derived by HKDF
from TOTP_ENCRYPTION_KEY, a setting separate from SECRET_KEY, so a database dump alone gives no working codes.
On a developer's machine without that setting the key is derived from SECRET_KEY; production requires it
(config.finalise)."""
import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

# Every Fernet token starts with its version byte 0x80, "gAAAAA" in URL-safe base64.
TOKEN_PREFIX = "gAAAAA"  # nosec B105 # the Fernet format marker, not a key
_INFO = b"honours totp secret v1"


class SecretUnreadable(RuntimeError):
    """A stored secret does not decrypt with the configured key (TOTP_ENCRYPTION_KEY changed or lost)."""


def fernet_for(key_material: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(key_material.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def key_material(config) -> str:
    return config.get("TOTP_ENCRYPTION_KEY") or "derived-from-secret-key:" + config["SECRET_KEY"]


def _fernet() -> Fernet:
    app = current_app._get_current_object()
    material = key_material(app.config)
    cached = app.extensions.get("totp_fernet")
    if cached is None or cached[0] != material:
        cached = app.extensions["totp_fernet"] = (material, fernet_for(material))
    return cached[1]


def encrypt(plain: str, fernet: Fernet | None = None) -> str:
    return (fernet or _fernet()).encrypt(plain.encode()).decode()


def decrypt(token: str, fernet: Fernet | None = None) -> str:
    try:
        return (fernet or _fernet()).decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable("a stored two-step secret does not decrypt with TOTP_ENCRYPTION_KEY") from None


class EncryptedString(TypeDecorator):
    """A string column stored as a Fernet token; Python sees the plain value."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else decrypt(value)
