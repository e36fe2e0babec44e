"""The official documents are tagged PDFs (issue 15): minutes, vote-count record, tờ trình, draft decision and each
organisation's thông báo, rendered from test_documents.py's confirmed session (its world, built for this module)."""
import pytest

from honours.core.pdf_tags import TaggedPdf
from honours.documents import services
from honours.documents.layout import MOTTO, NATIONAL_TITLE, Heading, Table
from tests.documents.test_documents import _documents, world  # noqa: F401 (fixture)
from tests.pdf_tags import check_tagged


@pytest.fixture
def app(module_app, db_savepoint, monkeypatch):
    monkeypatch.setattr(TaggedPdf, "strict", True)
    return module_app


@pytest.mark.parametrize("kind", [*services.KINDS, "notice-medicine", "notice-science"])
def test_every_official_document_is_tagged_in_reading_order(app, world, kind):
    document = _documents(world)[kind]
    tagged = check_tagged(services.render(document, "pdf"))
    # the national header as paragraphs, then the kind and title as the one H1
    assert tagged.roles[:tagged.roles.index("H1")] == ["P"] * tagged.roles.index("H1")
    assert tagged.roles.count("H1") == 1
    blocks = document.body + document.annex
    assert tagged.roles.count("H2") == sum(isinstance(b, Heading) for b in blocks)
    assert tagged.roles.count("Table") == sum(isinstance(b, Table) for b in blocks)
    header_cells = sum(len(b.headings) for b in blocks if isinstance(b, Table))
    assert tagged.roles.count("TH") == header_cells  # repeated header rows are artifacts
    body_cells = sum(len(b.headings) * len(b.rows) for b in blocks if isinstance(b, Table))
    assert tagged.roles.count("TD") == body_cells
    # each signature block a Div of paragraphs, the recipients a list
    assert tagged.roles.count("Div") == len(document.closing.signatures)
    for div in tagged.of_role("Div"):
        assert set(tagged.kids_roles(div)) == {"P"}
    if document.closing.recipients:
        assert tagged.roles.count("LI") == len(document.closing.recipients)
        (recipients,) = tagged.of_role("L")
        assert set(tagged.kids_roles(recipients)) == {"LI"}
    assert NATIONAL_TITLE in tagged.text and MOTTO in tagged.text
