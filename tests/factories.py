"""Builders for test data; they write through the models (fast) and return persisted objects."""
import hashlib
import io
import uuid
from datetime import date, timedelta
from decimal import Decimal

from werkzeug.security import generate_password_hash

from honours.auth.models import User
from honours.core import clock, roles
from honours.core.db import db
from honours.core.storage import path_for
from honours.core.text import fold
from honours.nominations import states
from honours.nominations.models import Achievement, Attachment, Dossier
from honours.organisations.models import Organisation
from honours.rounds.models import Criterion, Round, RoundField

PASSWORD = "Matkhau-2026"


def _one_page_pdf() -> bytes:
    """Uploads are parsed (pypdf), so the sample must be a real PDF."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _small_png() -> bytes:
    """Uploads are checked with Pillow, so the sample must be a real image."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


PDF = _one_page_pdf()
PNG = _small_png()

_password_hash = None


def make_org(name=None, org_type="association", **fields) -> Organisation:
    org = Organisation(name=name or f"Hội Khoa học {uuid.uuid4().hex[:6]}", org_type=org_type,
                       email=fields.pop("email", "lienhe@hoi.example.vn"), **fields)
    db.session.add(org)
    db.session.commit()
    return org


def make_user(role=roles.NOMINATOR, organisation=None, email=None, **fields) -> User:
    global _password_hash
    user = User(email=email or f"{role}-{uuid.uuid4().hex[:8]}@example.vn", full_name=fields.pop("full_name", "Người Dùng Thử"),
                role=role, organisation_id=organisation.id if organisation else None, **fields)
    # Production hashes with scrypt (deliberately slow); test accounts use a cheap hash so logins are fast.
    # check_password_hash reads the method from the hash itself, so the login code path is the real one.
    if _password_hash is None:
        _password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    user.password_hash = _password_hash
    db.session.add(user)
    db.session.commit()
    return user


def make_round(name="Trí thức Bắc Ninh tiêu biểu 2026", opens_in_days=-30, closes_in_days=30, **fields) -> Round:
    now = clock.now()
    round_ = Round(
        name=name, programme="honours", year=2026,
        nominations_open_at=now + timedelta(days=opens_in_days),
        nominations_close_at=now + timedelta(days=closes_in_days),
        review_close_at=now + timedelta(days=closes_in_days + 30),
        council_date=(now + timedelta(days=closes_in_days + 40)).date(),
        **fields,
    )
    round_.fields = [RoundField(name=n, quota=q, position=i) for i, (n, q) in
                     enumerate([("Khoa học tự nhiên", 3), ("Y dược", 2), ("Giáo dục", 2)])]
    round_.criteria = [
        Criterion(name="Thành tích khoa học", max_points=Decimal(10), weight=Decimal(50), position=0),
        Criterion(name="Ứng dụng thực tiễn", max_points=Decimal(10), weight=Decimal(30), position=1),
        Criterion(name="Uy tín, đóng góp xã hội", max_points=Decimal(10), weight=Decimal(20), position=2),
    ]
    db.session.add(round_)
    db.session.commit()
    return round_


def make_dossier(round_, organisation, created_by, state=states.DRAFT, full_name="Nguyễn Văn An",
                 date_of_birth=date(1975, 5, 20), with_attachment=True, **fields) -> Dossier:
    dossier = Dossier(
        round_id=round_.id, organisation_id=organisation.id, field_id=fields.pop("field_id", round_.fields[0].id), state=state,
        full_name=full_name, name_folded=fold(full_name), gender=fields.pop("gender", "male"),
        date_of_birth=date_of_birth, ethnicity=fields.pop("ethnicity", "Kinh"),
        merits_summary=fields.pop("merits_summary", "Có nhiều đóng góp cho khoa học của tỉnh."),
        created_by_id=created_by.id, **fields,
    )
    if state != states.DRAFT:
        dossier.submission_count = 1
        dossier.submitted_at = clock.now()
    dossier.achievements = [Achievement(kind="publication", year=2020, title="Bài báo ISI về vật liệu mới")]
    db.session.add(dossier)
    if with_attachment:
        stored_name = uuid.uuid4().hex
        with open(path_for(stored_name), "wb") as stored:
            stored.write(PDF)
        db.session.add(Attachment(dossier=dossier, kind="cv", original_name="ly-lich.pdf",
                                  stored_name=stored_name, content_type="application/pdf", size=len(PDF),
                                  sha256=hashlib.sha256(PDF).hexdigest(), uploaded_by_id=created_by.id))
    db.session.commit()
    return dossier


def upload(data: bytes, name: str = "minh-chung.pdf"):
    return (io.BytesIO(data), name)


def make_council(round_, count: int, **member_fields):
    """Council users (role council) who are members of the round's council; the first is the chair."""
    from honours.reviews.models import CouncilMember

    users = []
    for i in range(count):
        user = make_user(roles.COUNCIL, full_name=f"Thành viên {i + 1}", is_chair=(i == 0))
        db.session.add(CouncilMember(round_id=round_.id, user_id=user.id, **member_fields))
        users.append(user)
    db.session.commit()
    return users
