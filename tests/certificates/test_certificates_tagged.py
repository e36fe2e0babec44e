"""Certificates are tagged PDFs (issue 15): a section per honouree, the title as H1, the logo and the QR code as
figures with alternative text; test_certificates.py's world, built for this module."""
import io

import pytest

from honours.certificates import services
from honours.core.pdf_tags import TaggedPdf
from tests.certificates.test_certificates import _client, _issue, world  # noqa: F401 (fixture)
from tests.factories import _small_png
from tests.pdf_tags import check_tagged


@pytest.fixture
def app(module_app, db_savepoint, monkeypatch):
    monkeypatch.setattr(TaggedPdf, "strict", True)
    return module_app


def test_all_certificates_in_one_tagged_pdf_with_logo_and_qr_code_described(app, world):
    client = _client(app, world)
    form = {"title": "GIẤY CHỨNG NHẬN", "text": "Đạt danh hiệu Trí thức tiêu biểu", "signer_capacity": "KT. CHỦ TỊCH",
            "signer_title": "PHÓ CHỦ TỊCH", "signer_name": "Lê Văn Ký",
            "logo": (io.BytesIO(_small_png()), "logo.png")}
    assert client.post(f"/certificates/rounds/{world['round']}", data=form).status_code == 302
    certificates = _issue(world)
    response = client.get(f"/certificates/rounds/{world['round']}/all.pdf")
    assert response.status_code == 200
    tagged = check_tagged(response.data)
    sections = tagged.of_role("Sect")
    assert len(sections) == 2 == len(tagged.reader.pages)
    for section in sections:
        assert tagged.kids_roles(section).count("H1") == 1
        assert tagged.kids_roles(section).count("Figure") == 2
    alts = [str(figure["/Alt"]) for figure in tagged.of_role("Figure")]
    assert alts.count("Biểu trưng – GIẤY CHỨNG NHẬN") == 2
    for certificate in certificates.values():
        assert (f"Mã QR xác minh giấy chứng nhận {certificate.code}: {services.verification_url(certificate.code)}"
                in alts)
    assert "Lê Văn Ký" in tagged.text
