"""Reasons the application writes are stored as a code and parameters: the record keeps Vietnamese whatever the
actor's interface language, and each reader sees them in their own language."""
import pytest
from flask_babel import force_locale

from honours.core import audit
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.directory.merging import ENTRY_MERGED
from honours.imports.nominations import DRAFTS_IMPORTED


def test_a_coded_reason_is_stored_in_vietnamese_and_read_in_the_readers_language(app):
    with app.test_request_context(), force_locale("en"):  # an English-interface secretary writes it
        audit.record(None, "round", 1, "import_dossiers", reason=DRAFTS_IMPORTED(count=3, file="ds.xlsx"))
        db.session.flush()
    entry = db.session.scalars(db.select(AuditEntry)).one()
    assert entry.reason == "Nhập 3 hồ sơ nháp từ tệp Excel ds.xlsx."
    assert (entry.reason_code, entry.reason_params) == ("imports.dossiers", {"count": 3, "file": "ds.xlsx"})
    with app.test_request_context(), force_locale("en"):
        assert entry.reason_text == "Imported 3 draft dossiers from the Excel file ds.xlsx."
    with app.test_request_context(), force_locale("vi"):
        assert entry.reason_text == "Nhập 3 hồ sơ nháp từ tệp Excel ds.xlsx."


def test_a_typed_reason_is_kept_as_typed(app):
    entry = audit.record(None, "dossier", 1, "return", reason="Thiếu minh chứng")
    assert (entry.reason, entry.reason_code, entry.reason_text) == ("Thiếu minh chứng", "", "Thiếu minh chứng")


def test_a_code_cannot_mean_two_messages():
    assert ENTRY_MERGED.code in audit.REASONS
    with pytest.raises(ValueError, match="twice"):
        audit.Reason(ENTRY_MERGED.code, audit.N_("Một câu khác."))
