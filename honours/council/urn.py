"""The sealed urn: where the ballots of an open session wait, encrypted, until voting closes.

A ballot is never written next to its voter's receipt. Casting a vote inserts the receipt and rewrites the
session's one urn row: all ballots cast so far, shuffled and encrypted again (Fernet: AES-128-CBC + HMAC, a fresh
IV each time), under a key derived from the application's SECRET_KEY, which the database does not hold. Closing
the vote opens the urn and inserts every ballot at once, in random order, in the closer's transaction, then
deletes the urn. See docs/ballot-secrecy.md for what a database administrator can and cannot learn.
"""
import base64
import hashlib
import json
import secrets

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

# A ballot as the urn holds it: [[dossier id, agree], ...] sorted by dossier id.
SealedBallot = list[list]

_random = secrets.SystemRandom()


class UrnUnreadable(Exception):
    """The urn cannot be opened with this application's key (SECRET_KEY changed while voting was open)."""


def _fernet() -> Fernet:
    secret = current_app.config["SECRET_KEY"]
    key = hashlib.sha256(b"honours.council.urn\x00" + str(secret).encode("utf-8")).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def shuffled(items: list) -> list:
    items = list(items)
    _random.shuffle(items)
    return items


def seal(ballots: list[SealedBallot]) -> str:
    plain = json.dumps(shuffled(ballots), separators=(",", ":")).encode("utf-8")
    return _fernet().encrypt(plain).decode("ascii")


def unseal(sealed: str | None) -> list[SealedBallot]:
    if not sealed:
        return []
    try:
        return json.loads(_fernet().decrypt(sealed.encode("ascii")))
    except InvalidToken:
        raise UrnUnreadable() from None
