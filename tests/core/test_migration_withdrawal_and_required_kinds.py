"""Migration b3d5f7a9c1e2 on a database that holds rows: existing rounds ask for the CV and the endorsement letter,
the dossier state check accepts "withdrawn", and the downgrade turns withdrawn dossiers back into submitted ones."""
import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from honours import create_app
from tests.core.test_migrations import insert_rows_of_the_first_schema

REVISION = "b3d5f7a9c1e2"
BEFORE = "f1a3c5e7b9d2"


def test_existing_rounds_get_the_default_kinds_and_dossiers_may_be_withdrawn(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite'}", "TESTING": True,
                      "UPLOAD_FOLDER": str(tmp_path)})
    with app.app_context():
        from honours.core.db import db

        upgrade(revision="cdf967970fdb")
        insert_rows_of_the_first_schema(db, "submitted")
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
