"""`make documents`: the official documents of the demo's confirmed council session (minutes, vote-count record,
submission, draft decision, a notice per nominating organisation), as PDF and Word, plus a PNG of the first page of
each PDF when pdftoppm is installed, into documents/ (git-ignored) or the folder given."""
import argparse
import shutil
import subprocess  # nosec B404 # pdftoppm, a fixed command
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    from sqlalchemy import select

    from honours.core.db import db
    from honours.council.models import CONFIRMED, CouncilSession
    from honours.documents import content, services
    from tests.page_walk import seeded_demo_app

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "documents")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        app = seeded_demo_app(work)
        with app.app_context(), app.test_request_context():
            session = db.session.scalars(select(CouncilSession).where(CouncilSession.status == CONFIRMED)
                                         .order_by(CouncilSession.id)).first()
            record = content.session_record(session)
            documents = [services.build(session, kind, record) for kind in services.KINDS]
            documents += [content.notice(record, organisation) for organisation in content.organisations_of(record)]
            for document in documents:
                for fmt in services.FORMATS:
                    path = out / f"{document.file_stem}.{fmt}"
                    path.write_bytes(services.render(document, fmt))
                    print(path)
    if shutil.which("pdftoppm"):
        for pdf in sorted(out.glob("*.pdf")):
            subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf),  # nosec B603 B607
                            str(pdf.with_suffix(""))], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
