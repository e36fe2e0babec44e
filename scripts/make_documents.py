"""`make documents`: the official documents of the demo's confirmed council session (minutes, vote-count record,
submission, draft decision, a notice per nominating organisation), as PDF and Word, the certificates of last year's
published round (one PDF), plus a PNG of the first page of
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

    from honours.certificates import render as certificates
    from honours.certificates import services as certificate_services
    from honours.core.db import db
    from honours.council.models import CONFIRMED, CouncilSession
    from honours.documents import content, services
    from honours.rounds.models import Round
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
            for round_ in db.session.scalars(select(Round).where(Round.published_at.is_not(None))):
                people = certificate_services.honourees(round_)
                issued = certificate_services.certificates_by_dossier(d.id for d in people)
                items = [(d, issued[d.id], issued[d.id].state != "issued") for d in people if d.id in issued]
                if items:
                    path = out / f"giay-chung-nhan-{round_.year}.pdf"
                    path.write_bytes(certificates.round_pdf(round_, items))
                    print(path)
    if shutil.which("pdftoppm"):
        for pdf in sorted(out.glob("*.pdf")):
            subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf),  # nosec B603 B607
                            str(pdf.with_suffix(""))], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
