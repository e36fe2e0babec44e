"""Signing the PDFs the application generates (the minutes, the certificates) with the organisation's own
certificate, when the operator configured one: SIGNING_PKCS12 (a PKCS#12 file with the key and its chain) and
SIGNING_PKCS12_PASSWORD (from the environment). PAdES baseline B-B, added as an incremental update, so the
document's content is untouched and any later change shows as a modification after signing.

Without SIGNING_PKCS12 the PDF is returned as it is. A configured file that cannot be loaded is an operator error:
it raises (and is logged) rather than handing out unsigned documents silently.
"""
import io
import logging
import os
from functools import lru_cache

from flask import current_app

log = logging.getLogger(__name__)
FIELD_NAME = "ChuKySoToChuc"


class SigningUnavailable(RuntimeError):
    """SIGNING_PKCS12 is set but the key could not be loaded."""


@lru_cache(maxsize=4)
def _signer(path: str, modified: float, password: str):
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=password.encode("utf-8") if password else None)
    if signer is None:  # pyHanko logs the reason and returns None on a wrong password or a broken file
        raise SigningUnavailable(f"cannot load the signing certificate {path}")
    return signer


def enabled() -> bool:
    return bool(current_app.config.get("SIGNING_PKCS12"))


def sign_pdf(data: bytes) -> bytes:
    """`data` signed with the organisation's certificate, or `data` itself when none is configured."""
    path = current_app.config.get("SIGNING_PKCS12") or ""
    if not path:
        return data
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    try:
        signer = _signer(path, os.path.getmtime(path), current_app.config.get("SIGNING_PKCS12_PASSWORD") or "")
    except (OSError, ValueError) as error:
        log.error("SIGNING_PKCS12 %s cannot be loaded: %s", path, error)
        raise SigningUnavailable(str(error)) from error
    metadata = signers.PdfSignatureMetadata(field_name=FIELD_NAME, md_algorithm="sha256",
                                            subfilter=fields.SigSeedSubFilter.PADES)
    output = io.BytesIO()
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data), strict=False), metadata, signer=signer,
                     output=output)
    return output.getvalue()
