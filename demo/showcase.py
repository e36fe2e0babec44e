"""The public showcase in the demo: the open round's guidance documents and publication photos for most of last
year's honourees (one left without, so the placeholder shows too)."""
import io

from sqlalchemy import select

from honours.core import clock, roles
from honours.core.db import db
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.publication import media
from honours.rounds.models import Round

from .files import sample_pdf, sample_portrait

DOCUMENTS = (
    ("plan", "Kế hoạch xét tôn vinh Trí thức Bắc Ninh tiêu biểu năm 2026", "ke-hoach-2026.pdf",
     ["KE HOACH xet ton vinh Tri thuc Bac Ninh tieu bieu nam 2026", "1. Muc dich, yeu cau", "2. Doi tuong",
      "3. Tieu chuan", "4. Ho so de cu va thoi han nop"]),
    ("regulation", "Quy chế xét tôn vinh (kèm mẫu phiếu đề cử)", "quy-che-va-mau-phieu.pdf",
     ["QUY CHE xet chon, ton vinh", "Dieu 1. Pham vi", "Dieu 2. Hoi dong xet chon", "Mau so 01: Phieu de cu"]),
)


def seed_showcase(open_round: Round, past_round: Round, accounts: list) -> None:
    secretary = next(u for u in accounts if u.role == roles.SECRETARIAT)
    with clock.frozen(open_round.nominations_open_at):
        for kind, title, filename, lines in DOCUMENTS:
            media.add_document(secretary, open_round, title, kind, io.BytesIO(sample_pdf(lines)), filename)
    honourees = db.session.scalars(select(Dossier).where(
        Dossier.round_id == past_round.id, Dossier.state == states.PUBLISHED).order_by(Dossier.id)).all()
    with clock.frozen(past_round.published_at):
        for number, dossier in enumerate(honourees[:-1]):
            media.set_photo(secretary, past_round, dossier.id, io.BytesIO(sample_portrait(number)),
                            f"chan-dung-{dossier.id}.jpg")
