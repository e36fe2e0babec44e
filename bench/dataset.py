"""The load benchmark's dataset, written fast with bulk inserts (COPY on PostgreSQL, executemany elsewhere).

At scale 1: 100 organisations with a nominator each, 100 council members, 5 secretaries; this year's round with
7 fields, 5 criteria and 10,000 dossiers (10% still with the secretariat, 90% under review by 5 reviewers:
45,000 score sheets), and last year's round with 1,000 scored dossiers (5,000 sheets) of which 42 were
honoured and published. 50,000 score sheets and 250,000 score items in all. Other scales multiply the
dossiers (and organisations, reviewers with floors), so per-page query counts can be compared across sizes.

The intellectuals database holds PEOPLE persons at scale 1 (150,000, the province's real size; BENCH_PEOPLE
changes it): 1% of them with an unaccented duplicate ("Nguyen Van A" beside "Nguyễn Văn A", same birthday) for the
duplicates screen, the past round's honourees linked to theirs.

The rows are what the workflow would have written (states, versions, submission snapshots, council session
with its decision), built directly: the services would take hours for this much data. The database must be
empty; ids are assigned here.
"""
import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Table, func, select, text
from werkzeug.security import generate_password_hash

from honours.auth.models import natural_key, search_text
from honours.core import clock, roles
from honours.core.db import db
from honours.core.reference import ETHNICITIES
from honours.core.text import fold, name_sort_key
from honours.nominations import states
from honours.nominations.services import NOMINEE_FIELDS
from honours.reviews.totals import refresh_round_totals
from honours.rounds.models import Round

BENCH_PASSWORD = "Bench@2026bn"
EMAIL_DOMAIN = "bench.example"
CURRENT_YEAR = 2026
PAST_YEAR = 2025
REVIEWERS_PER_DOSSIER = 5

FIELDS = ("Khoa học tự nhiên", "Kỹ thuật và công nghệ", "Y dược", "Nông nghiệp", "Khoa học xã hội và nhân văn",
          "Giáo dục", "Văn học nghệ thuật")
PAST_QUOTA = 6  # per field: 42 honourees at most
CRITERIA = (  # (name, max points, weight): weights total 100
    ("Thành tích nghiên cứu khoa học, sáng tạo", 20, 35),
    ("Ứng dụng thực tiễn và hiệu quả kinh tế - xã hội", 20, 25),
    ("Giải thưởng, danh hiệu", 10, 15),
    ("Đào tạo, bồi dưỡng và phát triển đội ngũ", 10, 15),
    ("Uy tín, phẩm chất và đóng góp cho cộng đồng", 10, 10),
)
ORG_TYPES = (("association", "Hội"), ("institute", "Viện"), ("university", "Trường Đại học"),
             ("enterprise", "Công ty CP"), ("department", "Sở"), ("commune", "UBND xã"))
PLACES = ("Kinh Bắc", "Từ Sơn", "Quế Võ", "Thuận Thành", "Lục Ngạn", "Yên Phong", "Tiên Du", "Gia Bình",
          "Lương Tài", "Sơn Động", "Việt Yên", "Hiệp Hòa", "Lạng Giang", "Yên Dũng", "Tân Yên", "Đông Anh")
SUBJECTS = ("Y học", "Công nghệ", "Nông nghiệp", "Giáo dục", "Văn hóa", "Môi trường", "Vật liệu", "Dược",
            "Tin học", "Cơ khí", "Lịch sử", "Kinh tế")
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Ngô", "Dương", "Bùi", "Đặng", "Thân", "Đào",
          "Hà", "Chu", "Nghiêm", "Lục", "Nông", "Lương", "Tạ")
MIDDLE = {"male": ("Văn", "Đức", "Quang", "Minh", "Hữu", "Xuân", "Tiến", "Thế", "Công", "Đình"),
          "female": ("Thị", "Thị Thu", "Thị Minh", "Thanh", "Thị Kim", "Thị Hồng", "Ngọc", "Thị Bích", "Diệu", "Hải")}
GIVEN = {"male": ("Hùng", "Mạnh", "Trung", "Tuấn", "Hải", "Nghĩa", "Trường", "Dũng", "Cường", "Anh", "Sơn", "Khánh",
                  "Thắng", "Lực", "Nam", "Thịnh", "Phong", "Quân", "Bình", "Long"),
         "female": ("Hương", "Hà", "Huệ", "Lan", "Thủy", "Dung", "Nhung", "Oanh", "Mai", "Liên", "Nguyệt", "Vân",
                    "Hằng", "Phương", "Trang", "Yến", "Ngân", "Thảo", "Linh", "Hoa")}
ACHIEVEMENT_KINDS = ("publication", "patent", "award", "project", "work")
DEGREES = ("TS", "TS", "TS", "ThS", "ThS", "TSKH", "DH")
TITLES = ("", "", "", "", "PGS", "PGS", "GS")
# States of this year's dossiers by position in each block of 100: the rest (10..99) are in review.
EARLY_STATES = ((2, states.DRAFT), (6, states.SUBMITTED), (7, states.RESUBMITTED), (8, states.RETURNED),
                (9, states.INELIGIBLE), (10, states.ELIGIBLE))
UNDER_REVIEW_SHARE = range(10, 19)  # of those in review: one reviewer still has a draft sheet


PEOPLE = 150_000  # person records at scale 1
DUPLICATE_EVERY = 100  # one person in a hundred also has an unaccented duplicate record


@dataclass(frozen=True)
class Sizes:
    dossiers: int
    past_dossiers: int
    organisations: int
    reviewers: int
    secretaries: int = 5
    persons: int = 0

    @classmethod
    def for_scale(cls, scale: float, people: int = PEOPLE) -> "Sizes":
        return cls(dossiers=max(20, round(10_000 * scale)), past_dossiers=max(20, round(1_000 * scale)),
                   organisations=max(10, round(100 * scale)), reviewers=max(20, round(100 * scale)),
                   persons=max(200, round(people * scale)) if people else 0)


class Rows:
    """Rows per table, ids handed out here; written in dependency order by flush()."""

    def __init__(self):
        self.tables: dict[str, list[dict]] = {}
        self.next_id: dict[str, int] = {}

    def add(self, table: str, row: dict, with_id: bool = True) -> int | None:
        if with_id:
            row["id"] = self.next_id.get(table, 1)
            self.next_id[table] = row["id"] + 1
        self.tables.setdefault(table, []).append(row)
        return row.get("id")

    def count(self, table: str) -> int:
        return len(self.tables.get(table, []))


def _complete(table: Table, rows: list[dict]) -> list[str]:
    """Fill columns the generator did not set (e.g. added by a newer feature) from their Python defaults;
    returns the columns to write."""
    for column in table.columns:
        if column.name in rows[0] or column.server_default is not None:
            continue
        default = column.default
        if default is not None and getattr(default, "is_scalar", False):
            value = default.arg
            for row in rows:
                row.setdefault(column.name, value)
        elif default is not None and getattr(default, "is_callable", False):
            for row in rows:
                row.setdefault(column.name, default.arg(None))
        elif column.nullable and not column.primary_key:
            for row in rows:
                row.setdefault(column.name, None)
    return [c.name for c in table.columns if c.name in rows[0]]


def _write(table: Table, rows: list[dict]) -> None:
    if not rows:
        return
    columns = _complete(table, rows)
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        json_columns = {c.name for c in table.columns if c.type.__class__.__name__ in ("JSON", "JSONB")}
        quoted = ", ".join(f'"{c}"' for c in columns)
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([json.dumps(row[c], ensure_ascii=False) if c in json_columns else row[c]
                                for c in columns])
    else:
        for start in range(0, len(rows), 5000):
            connection.execute(table.insert(), [{c: row[c] for c in columns} for row in rows[start:start + 5000]])


def _reset_sequences() -> None:
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        id_column = table.columns.get("id")
        if id_column is None or not id_column.primary_key or id_column.type.python_type is not int:
            continue
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false)"))


class Generator:
    def __init__(self, sizes: Sizes, now: datetime, password_hash: str, seed: int = 2026):
        self.sizes, self.now, self.password_hash = sizes, now, password_hash
        self.rng = random.Random(seed)
        self.rows = Rows()
        self.manifest: dict = {"password": BENCH_PASSWORD, "sizes": sizes.__dict__}

    # ------------------------------------------------------------ people and organisations

    def person_name(self) -> tuple[str, str]:
        gender = "male" if self.rng.random() < 0.55 else "female"
        name = f"{self.rng.choice(FAMILY)} {self.rng.choice(MIDDLE[gender])} {self.rng.choice(GIVEN[gender])}"
        return name, gender

    def user(self, email: str, role: str, organisation_id: int | None = None, is_chair: bool = False) -> int:
        name, _gender = self.person_name()
        return self.rows.add("user", {  # bulk rows: the sort and search keys the model's validators keep
            "email": email, "full_name": name, "email_sort_key": natural_key(email),
            "search_text": search_text(name, email), "password_hash": self.password_hash, "role": role,
            "is_chair": is_chair, "organisation_id": organisation_id, "active": True,
            "created_at": self.now - timedelta(days=400)})

    def organisations(self) -> None:
        self.organisation_ids, self.organisation_names, self.nominators = [], {}, {}
        for number in range(1, self.sizes.organisations + 1):
            org_type, prefix = ORG_TYPES[number % len(ORG_TYPES)]
            name = f"{prefix} {self.rng.choice(SUBJECTS)} {self.rng.choice(PLACES)} số {number}"
            organisation_id = self.rows.add("organisation", {
                "name": name, "org_type": org_type, "contact_person": self.person_name()[0],
                "email": f"donvi{number}@{EMAIL_DOMAIN}", "phone": f"0222 3{number:06d}",
                "address": f"Số {number} đường Lý Thái Tổ, tỉnh Bắc Ninh", "nomination_limit": None,
                "created_at": self.now - timedelta(days=500)})
            self.organisation_ids.append(organisation_id)
            self.organisation_names[organisation_id] = name
            self.nominators[organisation_id] = self.user(f"bench-donvi{number}@{EMAIL_DOMAIN}", roles.NOMINATOR,
                                                         organisation_id)
        # The accounts of the nominator home page scenario.
        self.manifest["nominators"] = [f"bench-donvi{number}@{EMAIL_DOMAIN}"
                                       for number in range(1, min(self.sizes.organisations, 20) + 1)]

    def staff(self) -> None:
        self.user(f"bench-admin@{EMAIL_DOMAIN}", roles.ADMIN)
        self.manifest["admin"] = f"bench-admin@{EMAIL_DOMAIN}"
        secretaries = [f"bench-thuky{n}@{EMAIL_DOMAIN}" for n in range(1, self.sizes.secretaries + 1)]
        self.secretary_ids = [self.user(email, roles.SECRETARIAT) for email in secretaries]
        reviewers = [f"bench-hoidong{n}@{EMAIL_DOMAIN}" for n in range(1, self.sizes.reviewers + 1)]
        self.reviewer_ids = [self.user(email, roles.COUNCIL, is_chair=n == 0) for n, email in enumerate(reviewers)]
        self.reviewer_emails = dict(zip(self.reviewer_ids, reviewers))
        self.manifest["secretaries"] = secretaries

    # ------------------------------------------------------------ rounds

    def round(self, year: int, opens: datetime, published_at: datetime | None) -> dict:
        closes = opens + timedelta(days=80)
        review_closes = closes + timedelta(days=40)
        round_id = self.rows.add("round", {
            "name": f"Trí thức Bắc Ninh tiêu biểu {year}", "programme": "honours", "year": year,
            "description": f"Đợt xét, tôn vinh trí thức tiêu biểu năm {year} (dữ liệu đo tải).",
            "nominations_open_at": opens, "nominations_close_at": closes, "review_close_at": review_closes,
            "council_date": (review_closes + timedelta(days=10)).date(),
            "reviewers_per_dossier": REVIEWERS_PER_DOSSIER, "quorum_rule": "two_thirds", "approval_rule": "majority",
            "min_average_score": None, "score_decimals": 1, "trim_extremes": True, "deviation_flag_percent": 20,
            "published_at": published_at, "published_by_id": self.secretary_ids[0] if published_at else None,
            "created_at": opens - timedelta(days=10)})
        fields = [self.rows.add("round_field", {"round_id": round_id, "name": name, "quota": PAST_QUOTA,
                                                "position": position})
                  for position, name in enumerate(FIELDS)]
        criteria = [(self.rows.add("criterion", {
            "round_id": round_id, "name": name, "description": "", "max_points": Decimal(max_points),
            "weight": Decimal(weight), "position": position}), Decimal(max_points))
            for position, (name, max_points, weight) in enumerate(CRITERIA)]
        for index, reviewer_id in enumerate(self.reviewer_ids):
            member_id = self.rows.add("council_member", {
                "round_id": round_id, "user_id": reviewer_id, "panel_field_id": fields[index % len(fields)],
                "affiliation_organisation_id": None, "affiliation": ""})
            for field_id in {fields[index % len(fields)], fields[(index + 3) % len(fields)]}:
                self.rows.add("council_member_expertise", {"member_id": member_id, "field_id": field_id},
                              with_id=False)
        return {"id": round_id, "fields": fields, "criteria": criteria, "opens": opens, "closes": closes}

    # ------------------------------------------------------------ dossiers, sheets

    def dossier(self, round_: dict, state: str, number: int) -> int:
        rng = self.rng
        full_name, gender = self.person_name()
        organisation_id = rng.choice(self.organisation_ids)
        field_index = number % len(FIELDS)
        submitted = state != states.DRAFT
        created = round_["opens"] + timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 8))
        submitted_at = created + timedelta(days=rng.randint(0, 15)) if submitted else None
        workplace = self.organisation_names[organisation_id] if rng.random() < 0.5 else \
            f"Bệnh viện {rng.choice(PLACES)}"
        row = {
            "round_id": round_["id"], "organisation_id": organisation_id, "field_id": round_["fields"][field_index],
            "state": state, "version": 1 + (3 if submitted else 0), "full_name": full_name,
            "name_folded": fold(full_name), "gender": gender,
            "date_of_birth": date(rng.randint(1955, 1995), rng.randint(1, 12), rng.randint(1, 28)),
            "ethnicity": "Kinh" if rng.random() < 0.8 else rng.choice(ETHNICITIES),
            "hometown": f"Xã {rng.choice(PLACES)}, tỉnh Bắc Ninh", "workplace": workplace,
            "position": rng.choice(("Trưởng khoa", "Phó Giám đốc", "Nghiên cứu viên chính", "Giảng viên chính")),
            "academic_title": rng.choice(TITLES), "degree": rng.choice(DEGREES),
            "email": f"nguoi{number}@{EMAIL_DOMAIN}", "phone": "", "is_overseas": rng.random() < 0.03,
            "merits_summary": (f"Có nhiều đóng góp cho lĩnh vực {FIELDS[field_index].lower()} của tỉnh: chủ nhiệm "
                               f"{rng.randint(1, 6)} đề tài, {rng.randint(3, 60)} công trình công bố."),
            "citation": "", "last_reason": "Đề nghị bổ sung minh chứng." if state in (
                states.RETURNED, states.INELIGIBLE) else "",
            "supplement_deadline": self.now + timedelta(days=7) if state == states.RETURNED else None,
            "submission_count": (2 if state == states.RESUBMITTED else 1) if submitted else 0,
            "submitted_at": submitted_at, "person_id": None,
            "created_by_id": self.nominators[organisation_id], "created_at": created,
            "updated_at": submitted_at or created,
        }
        dossier_id = self.rows.add("dossier", row)
        achievements = []
        for position in range(2):
            kind = rng.choice(ACHIEVEMENT_KINDS)
            achievement = {"dossier_id": dossier_id, "kind": kind, "year": rng.randint(2015, round_["opens"].year),
                           "title": f"Công trình {rng.choice(SUBJECTS).lower()} số {number}-{position}",
                           "details": "", "position": position}
            self.rows.add("achievement", achievement)
            achievements.append(achievement)
        if submitted:
            attachment = {"dossier_id": dossier_id, "kind": "cv", "original_name": f"Lý lịch khoa học {number}.pdf",
                          "stored_name": f"bench{dossier_id:028d}", "content_type": "application/pdf",
                          "size": 48_000, "sha256": "0" * 64, "uploaded_by_id": row["created_by_id"],
                          "uploaded_at": created}
            self.rows.add("attachment", attachment)
            snapshot = {name: row[name] for name in NOMINEE_FIELDS}
            snapshot["date_of_birth"] = row["date_of_birth"].isoformat()
            snapshot["field"] = FIELDS[field_index]
            snapshot["achievements"] = [{k: a[k] for k in ("kind", "year", "title", "details")} for a in achievements]
            snapshot["attachments"] = [{"name": attachment["original_name"], "kind": "cv", "size": 48_000,
                                        "sha256": "0" * 64}]
            self.rows.add("dossier_submission", {
                "dossier_id": dossier_id, "number": row["submission_count"], "submitted_at": submitted_at,
                "submitted_by_id": row["created_by_id"], "snapshot": snapshot})
        return dossier_id

    def sheets(self, round_: dict, dossier_id: int, reviewer_ids: list[int], draft_reviewer: int | None,
               at: datetime, high: bool = False) -> None:
        rng = self.rng
        base = 0.85 if high else rng.uniform(0.45, 0.85)
        for reviewer_id in reviewer_ids:
            self.rows.add("review_assignment", {"dossier_id": dossier_id, "reviewer_id": reviewer_id,
                                                "assigned_at": at, "assigned_by_id": self.secretary_ids[0]})
            draft = reviewer_id == draft_reviewer
            sheet_id = self.rows.add("score_sheet", {
                "dossier_id": dossier_id, "reviewer_id": reviewer_id, "status": "draft" if draft else "submitted",
                "version": 2, "overall_comment": "Hồ sơ có thành tích tốt." if not draft else "",
                "updated_at": at + timedelta(days=3), "submitted_at": None if draft else at + timedelta(days=3)})
            for criterion_id, max_points in round_["criteria"]:
                share = min(1.0, max(0.0, base + rng.uniform(-0.15, 0.15)))
                points = (max_points * Decimal(str(round(share, 2)))).quantize(Decimal("0.1"))
                self.rows.add("score_item", {"sheet_id": sheet_id, "criterion_id": criterion_id,
                                             "points": points, "comment": ""})

    def current_round(self) -> None:
        round_ = self.round(CURRENT_YEAR, self.now - timedelta(days=95), None)
        assigned_at = round_["closes"] + timedelta(days=2)
        reviewers = self.reviewer_ids
        drafts: dict[int, list[int]] = {r: [] for r in reviewers}
        assigned: dict[int, list[int]] = {r: [] for r in reviewers}
        next_drafter = 0
        for number in range(self.sizes.dossiers):
            slot = number % 100
            state = next((s for limit, s in EARLY_STATES if slot < limit), None)
            if state is None:
                state = states.UNDER_REVIEW if slot in UNDER_REVIEW_SHARE else states.SCORED
            dossier_id = self.dossier(round_, state, number)
            if state not in (states.UNDER_REVIEW, states.SCORED):
                continue
            draft_reviewer = None
            if state == states.UNDER_REVIEW:  # drafts go round the council, so every member has some
                draft_reviewer = reviewers[next_drafter % len(reviewers)]
                next_drafter += 1
                others = self.rng.sample([r for r in reviewers if r != draft_reviewer], REVIEWERS_PER_DOSSIER - 1)
                chosen = [draft_reviewer, *others]
                drafts[draft_reviewer].append(dossier_id)
            else:
                chosen = self.rng.sample(reviewers, REVIEWERS_PER_DOSSIER)
            for reviewer_id in chosen:
                assigned[reviewer_id].append(dossier_id)
            self.sheets(round_, dossier_id, chosen, draft_reviewer, assigned_at)
        self.manifest["current_round_id"] = round_["id"]
        self.manifest["reviewers"] = [
            {"email": self.reviewer_emails[r], "drafts": drafts[r], "assigned": assigned[r][:50]}
            for r in reviewers]

    def past_round(self) -> None:
        published_at = datetime(PAST_YEAR, 10, 10, 9, 0)
        round_ = self.round(PAST_YEAR, datetime(PAST_YEAR, 3, 1, 7, 30), published_at)
        assigned_at = datetime(PAST_YEAR, 7, 20, 9, 0)
        honoured_per_field = {f: 0 for f in round_["fields"]}
        rejected = 0
        for number in range(self.sizes.past_dossiers):
            field_id = round_["fields"][number % len(FIELDS)]
            if honoured_per_field[field_id] < PAST_QUOTA and number < self.sizes.past_dossiers // 2:
                state = states.PUBLISHED
                honoured_per_field[field_id] += 1
            elif rejected < len(FIELDS) * 2 and number < self.sizes.past_dossiers // 2 + len(FIELDS) * 2:
                state, rejected = states.NOT_APPROVED, rejected + 1
            else:
                state = states.SCORED
            dossier_id = self.dossier(round_, state, 100_000 + number)
            row = self.rows.tables["dossier"][-1]
            if state == states.PUBLISHED:
                row["citation"] = row["merits_summary"]
                row["updated_at"] = published_at
            self.sheets(round_, dossier_id, self.rng.sample(self.reviewer_ids, REVIEWERS_PER_DOSSIER), None,
                        assigned_at, high=state == states.PUBLISHED)
        session_id = self.rows.add("council_session", {
            "round_id": round_["id"], "status": "confirmed", "opened_at": datetime(PAST_YEAR, 9, 15, 8),
            "opened_by_id": self.secretary_ids[0], "members_total": len(self.reviewer_ids),
            "closed_at": datetime(PAST_YEAR, 9, 15, 11), "confirmed_at": datetime(PAST_YEAR, 9, 15, 12),
            "confirmed_by_id": self.reviewer_ids[0], "decision_number": "1523/QĐ-UBND",
            "decision_date": date(PAST_YEAR, 10, 1), "decision_signer": "Chủ tịch UBND tỉnh Bắc Ninh"})
        for reviewer_id in self.reviewer_ids:
            self.rows.add("council_attendance", {"session_id": session_id, "user_id": reviewer_id})
        self.manifest["past_round_id"] = round_["id"]
        self.manifest["past_year"] = PAST_YEAR
        self.manifest["honourees"] = sum(honoured_per_field.values())

    # ------------------------------------------------------------ the intellectuals database

    def people(self) -> None:
        """Person records as nominations, referrals and staff lists leave them; the past round's honourees are
        among them (linked), so the "honoured" filter and the honoured years have something to find."""
        rng, now = self.rng, self.now
        honoured = [row for row in self.rows.tables.get("dossier", []) if row["state"] == states.PUBLISHED]
        for number in range(self.sizes.persons):
            if number < len(honoured):
                source = honoured[number]
                full_name, gender, born = source["full_name"], source["gender"], source["date_of_birth"]
            else:
                full_name, gender = self.person_name()
                born = date(rng.randint(1950, 1998), rng.randint(1, 12), rng.randint(1, 28))
            names = [full_name] + ([fold(full_name).title()] if number % DUPLICATE_EVERY == 7 else [])
            for name in names:
                person_id = self.rows.add("person", {
                    "full_name": name, "name_folded": fold(name), "sort_key": name_sort_key(name),
                    "gender": gender, "date_of_birth": born,
                    "ethnicity": "Kinh" if rng.random() < 0.85 else rng.choice(ETHNICITIES),
                    "hometown": f"Xã {rng.choice(PLACES)}, tỉnh Bắc Ninh",
                    "workplace": f"{rng.choice(ORG_TYPES)[1]} {rng.choice(SUBJECTS)} {rng.choice(PLACES)}",
                    "position": "", "academic_title": rng.choice(TITLES), "degree": rng.choice(DEGREES),
                    "email": f"tri-thuc{self.rows.count('person')}@{EMAIL_DOMAIN}", "phone": "",
                    "is_overseas": rng.random() < 0.03, "field": FIELDS[number % len(FIELDS)], "expertise": "",
                    "organisation_id": rng.choice(self.organisation_ids), "consent_national_db": rng.random() < 0.6,
                    "citizen_id": f"027{number:09d}" if number % 3 == 0 else None, "merged_into_id": None,
                    "version": 1, "created_at": now - timedelta(days=30), "updated_at": now - timedelta(days=30)})
                if number < len(honoured) and name == full_name:
                    honoured[number]["person_id"] = person_id
        self.manifest["persons"] = self.rows.count("person")
        # Search words the people scenarios type: a common given name, a family name without accents.
        self.manifest["people_queries"] = ["hung", "nguyen van", "thi thu ha", "tran"]

    def write(self) -> None:
        for table in db.metadata.sorted_tables:  # parents before children
            _write(table, self.rows.tables.pop(table.name, []))
        assert not self.rows.tables, f"unknown tables: {sorted(self.rows.tables)}"
        _reset_sequences()
        # Bulk rows skip the ORM hook that keeps each submitted sheet's weighted total: compute them in one go.
        refresh_round_totals(db.session.connection(), db.session.scalars(select(Round.id)).all())
        db.session.commit()


def build(scale: float = 1.0, now: datetime | None = None, password_hash: str | None = None,
          people: int = PEOPLE) -> dict:
    """Fill the (empty) database; returns the manifest the load generator reads (accounts, ids). `people`: the
    person records at scale 1 (0: none)."""
    from honours.auth.models import User

    if db.session.scalar(select(func.count(User.id))):
        raise RuntimeError("the benchmark dataset needs an empty database")
    now = (now or clock.now()).replace(microsecond=0)
    generator = Generator(Sizes.for_scale(scale, people), now,
                          password_hash or generate_password_hash(BENCH_PASSWORD))
    generator.organisations()
    generator.staff()
    generator.past_round()
    generator.current_round()
    generator.people()
    counts = {name: len(rows) for name, rows in generator.rows.tables.items()}
    generator.write()
    generator.manifest["rows"] = counts
    return generator.manifest


def analyse() -> None:
    """Fresh planner statistics and visibility map after a bulk load (PostgreSQL), as autovacuum keeps them on a
    database in use (without the map, index-only scans visit the table anyway)."""
    if db.session.connection().dialect.name == "postgresql":
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
