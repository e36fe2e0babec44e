"""Every PDF route of the app answers a tagged PDF (issue 15): fetched by a role the access matrix lets in, in the
access matrix's world, with TaggedPdf.strict on (text outside any structure element raises). Routes that world
cannot fill are checked with their feature's data (tests/documents, tests/certificates: *_tagged.py)."""
import pytest

from honours.core.pdf_tags import TaggedPdf
from tests.access.test_access_matrix import ACCESS, ANONYMOUS, ROUTES, build_url, world  # noqa: F401 (fixture)
from tests.conftest import client_with
from tests.pdf_tags import check_tagged

COVERED_ELSEWHERE = {
    "documents.notice_pdf": "tests/documents/test_documents_tagged.py",  # needs a confirmed session's result
    "certificates.download_all": "tests/certificates/test_certificates_tagged.py",  # needs issued certificates
}
# Files the app stores as they were uploaded, not PDFs it writes: the province's signed decision (changing it
# would break its signature).
UPLOADED = {"decisions.download", "publication.signed_decision"}
ALL_PDF_ROUTES = [(endpoint, rule) for endpoint, rule, method in ROUTES if method == "GET" and rule.endswith(".pdf")]
PDF_ROUTES = [(endpoint, rule) for endpoint, rule in ALL_PDF_ROUTES
              if endpoint not in COVERED_ELSEWHERE and endpoint not in UPLOADED]


@pytest.fixture
def app(module_app, db_savepoint, monkeypatch):
    monkeypatch.setattr(TaggedPdf, "strict", True)
    return module_app


def test_every_pdf_route_is_checked_here_or_with_its_features_data():
    assert set(COVERED_ELSEWHERE) | UPLOADED <= {endpoint for endpoint, _ in ALL_PDF_ROUTES}
    assert {endpoint for endpoint, _ in PDF_ROUTES} >= {
        "certificates.download", "consent.paper_form", "documents.minutes", "documents.pdf",
        "indicators.report_pdf", "privacy.processing_record_pdf", "privacy.subject_pdf", "publication.export_pdf",
        "submissions.print_latest", "submissions.print_submission"}


@pytest.mark.parametrize("endpoint,rule", PDF_ROUTES)
def test_every_pdf_route_answers_a_tagged_pdf(app, world, endpoint, rule):
    allowed = sorted(ACCESS[endpoint] - {ANONYMOUS})
    role = allowed[0] if allowed else ANONYMOUS
    client = client_with(app, world["cookies"][role]) if role != ANONYMOUS else app.test_client()
    response = client.get(build_url(rule, world["params"]))
    assert response.status_code == 200 and response.mimetype == "application/pdf", (role, response.status_code)
    tagged = check_tagged(response.data)
    assert "H1" in tagged.roles and "P" in tagged.roles
    assert any("ế" in t or "ư" in t or "ộ" in t or "ị" in t for t in tagged.text.split())  # Vietnamese survives
