"""Checking the signatures of an uploaded PDF with pyHanko: whether each is intact, whether the signer's chain
reaches a trust anchor the operator configured (TRUSTED_SIGNING_CAS), who signed and when, and whether the file was
changed after signing.

The file is hostile until proven otherwise: it is parsed in a child process under CPU, memory and wall-clock
limits (honours.core.isolation), never fetching anything over the network (no OCSP, CRL or AIA: revocation is
"soft-fail", an unreachable responder does not make a signature invalid). The child returns plain values only.
"""
import io
import logging
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from honours.core import clock, isolation
from honours.core.errors import RuleViolation

VALID_TRUSTED = "valid_trusted"
VALID_UNCHECKED = "valid_unchecked"  # intact, but no trust anchor configured to check the signer against
VALID_UNTRUSTED = "valid_untrusted"
MODIFIED = "modified"
INVALID = "invalid"
UNSIGNED = "unsigned"
# Weakest first: a file's status is that of its weakest signature.
STATUSES = (UNSIGNED, INVALID, MODIFIED, VALID_UNTRUSTED, VALID_UNCHECKED, VALID_TRUSTED)
LABELS = {
    VALID_TRUSTED: _l("Chữ ký hợp lệ, chứng thư số tin cậy"),
    VALID_UNCHECKED: _l("Chữ ký hợp lệ, chưa đối chiếu chứng thư số với tổ chức tin cậy (chưa cấu hình)"),
    VALID_UNTRUSTED: _l("Chữ ký hợp lệ nhưng chứng thư số không thuộc tổ chức tin cậy"),
    MODIFIED: _l("Tài liệu đã bị sửa sau khi ký"),
    INVALID: _l("Chữ ký không hợp lệ (nội dung đã ký bị thay đổi hoặc chữ ký hỏng)"),
    UNSIGNED: _l("Tệp không có chữ ký số"),
}
# Accepted without a note: the signature is intact, covers the document and the signer is not known to be an
# outsider (checked against the anchors, or no anchors configured at all).
ACCEPTED_WITHOUT_NOTE = (VALID_TRUSTED, VALID_UNCHECKED)
MAX_SIGNATURES = 20
# pyHanko logs every failed path build and suspicious revision with a traceback: the result says it in words.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class SignatureCheck:
    """One embedded signature, as plain values (they cross the process boundary)."""

    field_name: str
    status: str
    signer_subject: str
    signed_at: datetime | None  # as the signer's software claims it (not a timestamp authority's)
    intact: bool
    trusted: bool
    covers_whole_file: bool


@dataclass(frozen=True)
class Validation:
    status: str
    signatures: list[SignatureCheck] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(LABELS[self.status])

    @property
    def signer_subject(self) -> str:
        return self.signatures[0].signer_subject if self.signatures else ""

    @property
    def signed_at(self) -> datetime | None:
        return self.signatures[0].signed_at if self.signatures else None

    def summary(self) -> str:
        """The result in words, one sentence per signature (Vietnamese: it is recorded)."""
        if not self.signatures:
            return str(LABELS[UNSIGNED]) + "."
        lines = []
        for number, check in enumerate(self.signatures, start=1):
            when = check.signed_at.strftime("%d/%m/%Y %H:%M") if check.signed_at else _("không rõ")
            lines.append(_("Chữ ký %(number)s (%(field)s): %(result)s. Người ký: %(signer)s. Thời điểm ký: %(when)s.",
                           number=number, field=check.field_name, result=str(LABELS[check.status]),
                           signer=check.signer_subject or _("không rõ"), when=when))
        return "\n".join(lines)


def _weakest(statuses) -> str:
    return min(statuses, key=STATUSES.index)


def _status(intact: bool, valid: bool, trusted: bool, unmodified: bool, anchors: bool) -> str:
    if not (intact and valid):
        return INVALID
    if not unmodified:
        return MODIFIED
    if not anchors:
        return VALID_UNCHECKED
    return VALID_TRUSTED if trusted else VALID_UNTRUSTED


def _local(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.astimezone(clock.PROVINCE_TZ).replace(tzinfo=None)


def check_signatures(data: bytes, anchors_der: tuple[bytes, ...]) -> Validation:
    """The signatures of `data` checked against `anchors_der` (DER certificates). Runs in the child: raises on a
    file pyHanko cannot read."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    embedded = reader.embedded_signatures
    if not embedded:
        return Validation(UNSIGNED)
    if len(embedded) > MAX_SIGNATURES:
        raise ValueError("too many signatures")
    roots = [asn1_x509.Certificate.load(der) for der in anchors_der]
    checks = []
    for signature in embedded:
        context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        try:
            result = validate_pdf_signature(signature, context)
        except Exception:  # a signature pyHanko cannot even evaluate (broken CMS, wrong byte range...)
            checks.append(SignatureCheck(signature.field_name or "", INVALID, "", None, False, False, False))
            continue
        whole = result.coverage == SignatureCoverageLevel.ENTIRE_FILE
        # Later revisions are allowed only when pyHanko's difference analysis finds nothing but what a signer's
        # software may add (further signatures, timestamps, validation data, form filling the DocMDP allows).
        unmodified = whole or (
            result.coverage == SignatureCoverageLevel.ENTIRE_REVISION
            and result.modification_level is not None
            and result.modification_level <= ModificationLevel.FORM_FILLING and result.docmdp_ok is not False)
        subject = result.signing_cert.subject.human_friendly if result.signing_cert is not None else ""
        status = _status(result.intact, result.valid, bool(result.trusted), unmodified, bool(roots))
        checks.append(SignatureCheck(signature.field_name or "", status, subject, _local(result.signer_reported_dt),
                                     bool(result.intact and result.valid), bool(result.trusted), whole))
    return Validation(_weakest(c.status for c in checks), checks)


def load_anchors(pem_path: str) -> tuple[bytes, ...]:
    """The certificates of a PEM bundle, as DER (the operator's TRUSTED_SIGNING_CAS)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    with open(pem_path, "rb") as bundle:
        return tuple(cert.public_bytes(Encoding.DER) for cert in x509.load_pem_x509_certificates(bundle.read()))


def configured_anchors() -> tuple[bytes, ...]:
    path = current_app.config.get("TRUSTED_SIGNING_CAS") or ""
    return load_anchors(path) if path else ()


def validate(data: bytes, anchors_der: tuple[bytes, ...] | None = None) -> Validation:
    """Check an uploaded (already size-capped, PDF-sniffed) file; `anchors_der` defaults to the configured
    TRUSTED_SIGNING_CAS. RuleViolation when the file cannot be read in time."""
    anchors = configured_anchors() if anchors_der is None else tuple(anchors_der)
    config = current_app.config
    try:
        return isolation.run_limited(check_signatures, data, anchors, cpu_seconds=config["SIGNATURE_CHECK_CPU_SECONDS"],
                                     memory_bytes=config["SIGNATURE_CHECK_MEMORY_BYTES"],
                                     wall_seconds=config["SIGNATURE_CHECK_SECONDS"])
    except isolation.LimitExceeded:
        raise RuleViolation(_("Tệp PDF quá phức tạp để kiểm tra chữ ký số trong thời gian cho phép. Vui lòng "
                              "kiểm tra lại tệp nhận được từ cơ quan ban hành.")) from None
    except isolation.ChildFailed:
        raise RuleViolation(_("Không đọc được cấu trúc tệp PDF để kiểm tra chữ ký số (tệp bị hỏng hoặc không đúng "
                              "định dạng). Vui lòng kiểm tra lại tệp nhận được từ cơ quan ban hành.")) from None
