"""Access rules of the publication feature: the secretariat publishes; the honoured list is public."""
import hashlib
import uuid
from datetime import date

from honours import clock
from honours.council.models import CONFIRMED, CouncilSession
from honours.extensions import db
from honours.nominations import states
from honours.nominations.attachments import path_for
from honours.nominations.models import Attachment

from tests.factories import PNG, make_dossier, make_round

EVERYONE = {"anonymous", "admin", "secretariat", "council", "nominator"}
SECRETARIAT = {"secretariat"}

RULES = {
    "publication.round_page": SECRETARIAT,
    "publication.save_citations": SECRETARIAT,
    "publication.publish": SECRETARIAT,
    "publication.index": EVERYONE,
    "publication.year_list": EVERYONE,
    "publication.honouree": EVERYONE,
    "publication.photo": EVERYONE,
    "publication.export_xlsx": EVERYONE,
    "publication.export_csv": EVERYONE,
    "publication.export_json": EVERYONE,
    "publication.export_pdf": EVERYONE,
}
# The honoured list is public, including the organisation's honourees and their portraits.
NOT_OWNED = {"year", "honouree_id", "slug", "photo_id"}


def params(world) -> dict:
    """A round published in 2025 with one honouree who has a portrait (its file on disk)."""
    round_ = make_round(name="Trí thức Bắc Ninh tiêu biểu 2025")
    round_.year = 2025
    round_.published_at = clock.now()
    secretary = world["users"]["secretariat"]
    round_.published_by_id = secretary.id
    db.session.add(CouncilSession(round_id=round_.id, status=CONFIRMED, opened_by_id=secretary.id, members_total=7,
                                  confirmed_at=clock.now(), decision_number="123/QĐ-UBND",
                                  decision_date=date(2025, 12, 1), decision_signer="Chủ tịch UBND tỉnh"))
    honouree = make_dossier(round_, world["organisation"], world["users"]["nominator"], state=states.PUBLISHED,
                            full_name="Trần Thị Vinh Danh", citation="Nhà khoa học tiêu biểu.")
    stored_name = uuid.uuid4().hex
    with open(path_for(stored_name), "wb") as stored:
        stored.write(PNG)
    photo = Attachment(dossier_id=honouree.id, kind="photo", original_name="anh.png", stored_name=stored_name,
                       content_type="image/png", size=len(PNG), sha256=hashlib.sha256(PNG).hexdigest(),
                       uploaded_by_id=honouree.created_by_id)
    db.session.add(photo)
    db.session.commit()
    return {"year": 2025, "honouree_id": honouree.id, "slug": "tran-thi-vinh-danh", "photo_id": photo.id}
