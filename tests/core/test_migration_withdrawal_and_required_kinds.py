"""Migration b3d5f7a9c1e2 on a database that holds rows: existing rounds ask for the CV and the endorsement letter,
the dossier state check accepts "withdrawn", and the downgrade turns withdrawn dossiers back into submitted ones."""
import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from honours import create_app

REVISION = "b3d5f7a9c1e2"
BEFORE = "f1a3c5e7b9d2"


def test_existing_rounds_get_the_default_kinds_and_dossiers_may_be_withdrawn(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite'}", "TESTING": True,
                      "UPLOAD_FOLDER": str(tmp_path)})
    with app.app_context():
        from honours.core.db import db

        upgrade(revision="cdf967970fdb")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO organisation (name, org_type, contact_person, email, phone, address, created_at) "
                "VALUES ('Hội A', 'association', '', '', '', '', '2026-01-01')"))
            connection.execute(text(
                "INSERT INTO \"user\" (email, full_name, password_hash, role, is_chair, active, created_at) "
                "VALUES ('a@example.vn', 'A', 'x', 'nominator', 0, 1, '2026-01-01')"))
            connection.execute(text(
                "INSERT INTO round (name, programme, year, description, nominations_open_at, nominations_close_at, "
                "review_close_at, council_date, reviewers_per_dossier, quorum_rule, approval_rule, score_decimals, "
                "trim_extremes, deviation_flag_percent, created_at) VALUES ('R', 'honours', 2026, '', '2026-01-01', "
                "'2026-02-01', '2026-03-01', '2026-04-01', 3, 'two_thirds', 'majority', 1, 1, 20, '2026-01-01')"))
            connection.execute(text("INSERT INTO round_field (round_id, name, quota, position) VALUES (1, 'F', 1, 0)"))
            connection.execute(text(
                "INSERT INTO dossier (round_id, organisation_id, field_id, state, version, full_name, name_folded, "
                "gender, date_of_birth, ethnicity, hometown, workplace, position, academic_title, degree, email, phone, "
                "is_overseas, merits_summary, last_reason, submission_count, created_by_id, created_at, updated_at) "
                "VALUES (1, 1, 1, 'submitted', 1, 'B', 'b', 'male', '1970-01-01', 'Kinh', '', '', '', '', 'TS', '', "
                "'', 0, '', '', 1, 1, '2026-01-01', '2026-01-01')"))
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection, pytest.raises(IntegrityError):
            connection.execute(text("UPDATE dossier SET state = 'withdrawn'"))

        upgrade(revision=REVISION)
        with db.engine.begin() as connection:
            assert connection.execute(text("SELECT required_attachment_kinds FROM round")).scalar_one() == \
                "cv,endorsement"
            connection.execute(text("UPDATE dossier SET state = 'withdrawn'"))
        with db.engine.begin() as connection, pytest.raises(IntegrityError):
            connection.execute(text("UPDATE dossier SET state = 'gone'"))

        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT state FROM dossier")).scalar_one() == "submitted"
            columns = {row[1] for row in connection.execute(text("PRAGMA table_info(round)"))}
        assert "required_attachment_kinds" not in columns
        db.session.remove()
        db.engine.dispose()
