"""Certificates as a PDF: A4 landscape, one page per honouree, Liberation Serif embedded (the documents' font),
the template's logo, the text and signer, and a QR code with the verification code and its address printed under it.
Official text, always Vietnamese. Tagged (honours/core/pdf_tags.py): a section per certificate, the template's
title as H1, the other lines as paragraphs, the logo and the QR code as figures with alternative text, the frame an
artifact."""

import qrcode
from flask import current_app

from honours.core import storage
from honours.core.pdf_tags import TaggedPdf
from honours.documents.layout import MOTTO, NATIONAL_TITLE
from honours.documents.pdf import FONTS, SERIF
from honours.nominations.models import Dossier
from honours.publication import services as publication
from honours.rounds.models import Round

from . import services
from .models import Certificate, CertificateTemplate


def qr_image(url: str):
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
    code.add_data(url)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image()


def _decision_line(decision) -> str:
    if decision is None:
        return ""
    return (f"(Theo Quyết định số {decision.number} ngày {decision.date.day:02d}/{decision.date.month:02d}/"
            f"{decision.date.year})")


def round_pdf(round_: Round, items: list[tuple[Dossier, Certificate, bool]]) -> bytes:
    """The round's certificates in its template, issued by the province, with the decision recorded for the round."""
    config = current_app.config
    decision = publication.decisions_for([round_.id]).get(round_.id)
    return render(services.template_of(round_), items, config["DOCUMENT_PROVINCE_NAME"], config["DOCUMENT_PLACE"],
                  decision)


def render(template: CertificateTemplate, items: list[tuple[Dossier, Certificate, bool]], issuer: str, place: str,
           decision) -> bytes:
    """`items`: (dossier, certificate, whether the honour is revoked) per page."""
    pdf = TaggedPdf(orientation="landscape", unit="mm", format="A4", lang="vi")
    for style, name in (("", "Regular"), ("B", "Bold"), ("I", "Italic"), ("BI", "BoldItalic")):
        pdf.add_font(SERIF, style, str(FONTS / f"LiberationSerif-{name}.ttf"))
    pdf.set_title(template.title)
    pdf.set_creator("honours")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(20, 15, 20)
    logo = storage.path_for(template.logo_stored_name) if template.logo_stored_name else None
    for dossier, certificate, revoked in items:
        pdf.add_page()
        with pdf.structure("Sect"):
            _page(pdf, template, dossier, certificate, issuer, place, decision, logo, revoked)
    return bytes(pdf.output())


def _line(pdf: TaggedPdf, width: float, height: float, text: str, role: str = "P") -> None:
    with pdf.structure(role):
        pdf.multi_cell(width, height, text, align="C", new_x="LMARGIN", new_y="NEXT")


def _page(pdf, template, dossier, certificate, issuer, place, decision, logo, revoked: bool) -> None:
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_draw_color(150, 20, 20)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, pdf.w - 16, pdf.h - 16)
    pdf.set_line_width(0.3)
    pdf.rect(11, 11, pdf.w - 22, pdf.h - 22)
    if logo:
        pdf.image(logo, x=pdf.l_margin, y=16, h=24, alt_text=f"Biểu trưng – {template.title}")
    pdf.set_text_color(0)
    pdf.set_xy(pdf.l_margin + (28 if logo else 0), 18)
    pdf.set_font(SERIF, "B", 13)
    _line(pdf, 90, 6, issuer.upper())
    pdf.set_xy(pdf.w - pdf.r_margin - 120, 18)
    _line(pdf, 120, 6, NATIONAL_TITLE)
    pdf.set_x(pdf.w - pdf.r_margin - 120)
    pdf.set_font(SERIF, "B", 14)
    _line(pdf, 120, 7, MOTTO)
    pdf.set_y(50)
    pdf.set_text_color(150, 20, 20)
    pdf.set_font(SERIF, "B", 30)
    _line(pdf, width, 14, template.title, role="H1")
    pdf.set_text_color(0)
    pdf.set_font(SERIF, "I", 15)
    _line(pdf, width, 9, "Chứng nhận")
    pdf.set_font(SERIF, "B", 24)
    _line(pdf, width, 13, services.name_with_title(dossier))
    pdf.set_font(SERIF, "", 14)
    if dossier.workplace:
        _line(pdf, width, 8, dossier.workplace)
    pdf.set_font(SERIF, "", 16)
    _line(pdf, width, 9, f"{template.text} năm {dossier.round.year}")
    if decision is not None:
        pdf.set_font(SERIF, "I", 13)
        _line(pdf, width, 7, _decision_line(decision))
    # the QR code and the code, bottom left; the signature, bottom right
    url = services.verification_url(certificate.code)
    pdf.image(qr_image(url), x=pdf.l_margin + 4, y=pdf.h - 62, w=34, h=34,
              alt_text=f"Mã QR xác minh giấy chứng nhận {certificate.code}: {url}")
    pdf.set_xy(pdf.l_margin, pdf.h - 27)
    pdf.set_font(SERIF, "", 10)
    with pdf.structure("P"):
        pdf.multi_cell(110, 4.5, f"Mã xác minh: {certificate.code}\n{url}", align="L", new_x="LMARGIN", new_y="NEXT")
    signer_x = pdf.w - pdf.r_margin - 110
    today = services.today()
    pdf.set_xy(signer_x, pdf.h - 78)
    pdf.set_font(SERIF, "I", 13)
    date_line = f"{place}, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}"
    _line(pdf, 110, 7, date_line)
    pdf.set_font(SERIF, "B", 13)
    for line in (template.signer_capacity, template.signer_title):
        if line:
            pdf.set_x(signer_x)
            _line(pdf, 110, 6.5, line)
    pdf.set_xy(signer_x, pdf.h - 32)
    _line(pdf, 110, 7, template.signer_name)
    if revoked:
        pdf.set_xy(pdf.l_margin, 38)
        pdf.set_text_color(200, 0, 0)
        pdf.set_font(SERIF, "B", 14)
        _line(pdf, width, 7, "ĐÃ THU HỒI")
        pdf.set_text_color(0)


