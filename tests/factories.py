"""Builders for test data; they write through the models (fast) and return persisted objects."""
import hashlib
import io
import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from honours.auth.models import User
from honours.consent.models import ConsentChoice, ConsentRequest
from honours.consent.purposes import BY_CODE, CODES, GIVEN, ONLINE, REFUSED
from honours.consent.workflows import ANSWERED
from honours.core import clock, roles
from honours.core.db import db
from honours.core.storage import path_for
from honours.core.text import fold, name_sort_key
from honours.nominations import states
from honours.nominations.models import Achievement, Attachment, Dossier
from honours.organisations.models import Organisation
from honours.people.linking import as_text
from honours.people.models import Person, PersonChangeProposal
from honours.rounds.models import Criterion, Round, RoundField
from honours.talent.models import ACTIVE, SUBMITTED, PoolEntry, Referral

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
                 date_of_birth=date(1975, 5, 20), with_attachment=True, consent: str | None = CODES,
                 **fields) -> Dossier:
    """A submitted dossier's nominee consented (online) to the purposes in `consent` (every one by default; None: never
    asked, as dossiers submitted before consent was asked)."""
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
        db.session.add(_stored_attachment(PDF, dossier=dossier, kind="cv", original_name="ly-lich.pdf",
                                          content_type="application/pdf", uploaded_by_id=created_by.id,
                                          submitted_in=None if state == states.DRAFT else 1))
    if state != states.DRAFT and consent is not None:
        db.session.flush()
        give_consent(dossier, consent, commit=False)
    db.session.commit()
    return dossier


def give_consent(subject, given=CODES, state=ANSWERED, commit=True) -> ConsentRequest:
    """The person answered: the purposes in `given` consented to, the others refused (on the request the
    submission created, if any)."""
    column = ConsentRequest.dossier_id if isinstance(subject, Dossier) else ConsentRequest.referral_id
    consent = db.session.scalar(select(ConsentRequest).where(column == subject.id))
    if consent is None:
        consent = ConsentRequest(email=subject.email or "")
        if isinstance(subject, Dossier):
            consent.dossier_id = subject.id
        else:
            consent.referral_id = subject.id
    consent.state = state
    consent.choices += [ConsentChoice(purpose=code, decision=GIVEN if code in given else REFUSED,
                                     text_hash=BY_CODE[code].text_hash, decided_at=clock.now(), channel=ONLINE,
                                     client_address="127.0.0.1") for code in CODES]
    db.session.add(consent)
    if commit:
        db.session.commit()
    return consent


def _stored_attachment(data: bytes, **fields) -> Attachment:
    """An attachment whose file is on disk under a generated name, as an upload leaves it."""
    stored_name = uuid.uuid4().hex
    with open(path_for(stored_name), "wb") as stored:
        stored.write(data)
    return Attachment(stored_name=stored_name, size=len(data), sha256=hashlib.sha256(data).hexdigest(), **fields)


def make_attachment(dossier, data=PDF, kind="cv", original_name="ly-lich.pdf", content_type="application/pdf",
                    **fields) -> Attachment:
    attachment = _stored_attachment(data, dossier_id=dossier.id, kind=kind, original_name=original_name,
                                    content_type=content_type,
                                    uploaded_by_id=fields.pop("uploaded_by_id", dossier.created_by_id), **fields)
    db.session.add(attachment)
    db.session.commit()
    return attachment


def upload(data: bytes, name: str = "minh-chung.pdf"):
    return (io.BytesIO(data), name)


def make_council(round_, count: int, **member_fields):
    """Council users (role council) who are members of the round's council; the first is the chair."""
    users = [make_user(roles.COUNCIL, full_name=f"Thành viên {i + 1}", is_chair=(i == 0)) for i in range(count)]
    for user in users:
        make_council_member(round_, user, **member_fields)
    return users


def make_council_member(round_, user, **fields):
    """`user` (role council) on the round's council."""
    from honours.reviews.models import CouncilMember

    member = CouncilMember(round_id=round_.id, user_id=user.id, **fields)
    db.session.add(member)
    db.session.commit()
    return member


def make_score_sheet(dossier, reviewer, points=None, status="submitted", **fields):
    """A reviewer's sheet for the dossier; `points`: one value for every criterion of the round, or one per
    criterion in order, or None for a sheet without scores."""
    from honours.reviews.models import ScoreItem, ScoreSheet

    criteria = dossier.round.criteria
    if points is not None and not isinstance(points, (list, tuple)):
        points = [points] * len(criteria)
    sheet = ScoreSheet(dossier_id=dossier.id, reviewer_id=reviewer.id, status=status, **fields)
    if points is not None:
        sheet.items = [ScoreItem(criterion_id=c.id, points=Decimal(p)) for c, p in zip(criteria, points, strict=True)]
    db.session.add(sheet)
    db.session.commit()
    return sheet


def make_council_session(round_, opened_by, members_total=9, **fields):
    """A council session of the round, open unless `status` says otherwise."""
    from honours.council.models import CouncilSession

    session = CouncilSession(round_id=round_.id, opened_by_id=opened_by.id, members_total=members_total, **fields)
    db.session.add(session)
    db.session.commit()
    return session


def make_person(full_name="Nguyễn Văn An", date_of_birth=date(1975, 5, 20), **fields) -> Person:
    person = Person(full_name=full_name, name_folded=fold(full_name), sort_key=name_sort_key(full_name),
                    gender=fields.pop("gender", "male"), date_of_birth=date_of_birth,
                    ethnicity=fields.pop("ethnicity", "Kinh"), **fields)
    db.session.add(person)
    db.session.commit()
    return person


def make_change_proposal(person, source, field="email", proposed_value="moi@example.vn", **fields):
    """A pending change a dossier or referral proposes to a person record."""
    proposal = PersonChangeProposal(
        person_id=person.id, field=field, old_value=as_text(getattr(person, field)), proposed_value=proposed_value,
        state=fields.pop("state", "pending"), source_type=source.__tablename__, source_id=source.id,
        organisation_id=source.organisation_id, proposed_by_id=source.created_by_id, **fields)
    db.session.add(proposal)
    db.session.commit()
    return proposal


def make_referral(person, organisation, user, state=SUBMITTED, **fields) -> Referral:
    """A talent referral of `person` by the organisation, written directly (tests/talent/test_talent.py takes
    referrals through the services instead)."""
    referral = Referral(organisation_id=organisation.id, state=state, full_name=person.full_name,
                        name_folded=person.name_folded, gender=person.gender, date_of_birth=person.date_of_birth,
                        ethnicity=person.ethnicity, field=fields.pop("field", "Y dược"), created_by_id=user.id,
                        submitted_at=clock.now(), person_id=person.id, **fields)
    db.session.add(referral)
    db.session.commit()
    return referral


def make_pool_entry(person, user, status=ACTIVE, **fields) -> PoolEntry:
    entry = PoolEntry(person_id=person.id, status=status, field=fields.pop("field", "Y dược"),
                      next_review_on=fields.pop("next_review_on", date(2027, 6, 1)), added_by_id=user.id, **fields)
    db.session.add(entry)
    db.session.commit()
    return entry


def make_submission(dossier, number: int = 1, submitted_by=None, **changes):
    """A frozen copy of the dossier as services.snapshot() takes it at a submission, with `changes` applied to
    the copy (e.g. workplace="…", achievements=[…]) to stand for what an earlier or later sending held."""
    from honours.nominations import services as nominations
    from honours.nominations.models import DossierSubmission

    snapshot = {**nominations.snapshot(dossier), **changes}
    submission = DossierSubmission(dossier_id=dossier.id, number=number, snapshot=snapshot,
                                   submitted_by_id=(submitted_by or dossier.created_by).id,
                                   submitted_at=clock.now() - timedelta(days=10 - number))
    db.session.add(submission)
    db.session.commit()
    return submission


def make_round_document(round_, secretary, data=PDF, title="Kế hoạch xét tôn vinh", kind="plan",
                        name="ke-hoach.pdf"):
    """A guidance PDF of the round, through the service (every check of a real upload)."""
    from honours.publication import media

    return media.add_document(secretary, round_, title, kind, io.BytesIO(data), name)


def sample_image(width=1600, height=1200, image_format="JPEG", exif=True) -> bytes:
    """A photo as a camera would give it: JPEG with EXIF (camera model, GPS) unless exif=False."""
    from PIL import Image

    image = Image.new("RGB", (width, height), (120, 140, 170))
    out = io.BytesIO()
    if exif and image_format == "JPEG":
        tags = Image.Exif()
        tags[0x0110] = "Secret Camera Model"  # Model
        tags[0x8825] = {1: "N", 2: (21.0, 11.0, 0.0)}  # GPS IFD: latitude
        image.save(out, format=image_format, exif=tags.tobytes())
    else:
        image.save(out, format=image_format)
    return out.getvalue()


def make_publication_photo(dossier, secretary, data=None, name="chan-dung.jpg"):
    """The publication photo of an approved or published dossier, through the service (re-encoded, resized)."""
    from honours.publication import media

    round_ = db.session.get(Round, dossier.round_id)
    return media.set_photo(secretary, round_, dossier.id, io.BytesIO(data or sample_image(1300, 1625)), name)


def make_signed_decision(session, uploaded_by, data=PDF, status="unsigned", note="Bản chụp quyết định giấy"):
    """A council session's decision file as recorded (written straight to the upload folder, not checked: the
    upload and its signature check are tested in tests/decisions)."""
    from honours.core import storage
    from honours.decisions.models import SignedDecision

    stored_name = uuid.uuid4().hex
    with open(storage.path_for(stored_name), "wb") as out:
        out.write(data)
    decision = SignedDecision(session_id=session.id, status=status, summary="Tệp không có chữ ký số.", note=note,
                              kind="decision", original_name="quyet-dinh.pdf", stored_name=stored_name,
                              content_type="application/pdf", size=len(data),
                              sha256=hashlib.sha256(data).hexdigest(), uploaded_by_id=uploaded_by.id)
    db.session.add(decision)
    db.session.commit()
    return decision
