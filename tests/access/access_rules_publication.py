"""Access rules of the publication feature: the secretariat publishes; the honoured list is public."""
from datetime import date

from honours.core import clock
from honours.council.models import CONFIRMED
from honours.nominations import states
from tests.factories import (
    PNG,
    make_attachment,
    make_council_session,
    make_dossier,
    make_publication_photo,
    make_round,
    make_round_document,
)

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
    "publication.upload_photo": SECRETARIAT,
    "publication.publication_photo_preview": SECRETARIAT,
    "publication.add_document": SECRETARIAT,
    "publication.delete_document": SECRETARIAT,
    "publication.publication_photo": EVERYONE,
    "publication.round_document": EVERYONE,
    "publication.robots": EVERYONE,
    "publication.sitemap": EVERYONE,
}
# The honoured list is public, including the organisation's honourees and their portraits; round documents of an
# announced round are public too.
NOT_OWNED = {"year", "honouree_id", "slug", "photo_id", "picture_id", "photo_key", "width", "document_id"}


def params(world) -> dict:
    """A round published in 2025 with one honouree who has a portrait (its file on disk)."""
    round_ = make_round(name="Trí thức Bắc Ninh tiêu biểu 2025")
    round_.year = 2025
    round_.published_at = clock.now()
    secretary = world["users"]["secretariat"]
    round_.published_by_id = secretary.id
    make_council_session(round_, secretary, status=CONFIRMED, members_total=7, confirmed_at=clock.now(),
                         decision_number="123/QĐ-UBND", decision_date=date(2025, 12, 1),
                         decision_signer="Chủ tịch UBND tỉnh")
    honouree = make_dossier(round_, world["organisation"], world["users"]["nominator"], state=states.PUBLISHED,
                            full_name="Trần Thị Vinh Danh", citation="Nhà khoa học tiêu biểu.")
    photo = make_attachment(honouree, PNG, kind="photo", original_name="anh.png", content_type="image/png")
    picture = make_publication_photo(honouree, secretary)
    document = make_round_document(world["round"], secretary)  # the world's round is open: announced
    return {"year": 2025, "honouree_id": honouree.id, "slug": "tran-thi-vinh-danh", "photo_id": photo.id,
            "picture_id": picture.id, "photo_key": picture.key, "width": picture.width_list[0], "document_id": document.id}
