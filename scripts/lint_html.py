"""`make lint-html`: the Nu Html Checker (vnu, scripts/ensure-vnu.sh) on every page of the route x role matrix.

Seeds the demo into a temporary SQLite database, signs in as each demo role (and anonymous) with the Flask test
client, writes each page's HTML into a temporary folder (or --out) and runs vnu on them. Errors fail; warnings
and info messages are not shown unless --warnings. Usage: python scripts/lint_html.py [--out DIR] [--warnings]
"""
import argparse
import json
import shutil
import subprocess  # nosec B404 # runs java on the pinned vnu jar
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def render_pages(app, out: Path) -> dict[str, str]:
    from tests.page_walk import walk_all

    names: dict[str, str] = {}

    def write(page, html):
        path = out / f"{page.name}.html"
        path.write_text(html, encoding="utf-8")
        names[str(path)] = f"{page.url} ({page.role})"

    walk_all(app, write)
    return names


def vnu(files: list[str], warnings: bool) -> list[dict]:
    if shutil.which("java") is None:
        sys.exit("lint-html: java not found; the Nu Html Checker needs Java 17+ (Debian: apt-get install "
                 "default-jre-headless)")
    jar = subprocess.run(["sh", str(ROOT / "scripts/ensure-vnu.sh")], check=True, capture_output=True,  # nosec B603 B607
                         text=True).stdout.strip()
    command = ["java", "-jar", jar, "--format", "json", "--exit-zero-always"]
    if not warnings:
        command.append("--errors-only")
    result = subprocess.run(command + files, capture_output=True, text=True, check=True)  # nosec B603 B607
    return json.loads(result.stderr or result.stdout)["messages"]


def main() -> int:
    from tests.page_walk import seeded_demo_app

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="keep the rendered pages in this folder")
    parser.add_argument("--warnings", action="store_true", help="show vnu's warnings too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        out = args.out or Path(work) / "pages"
        out.mkdir(parents=True, exist_ok=True)
        pages = render_pages(seeded_demo_app(work), out)
        messages = vnu(sorted(pages), args.warnings)
    errors = 0
    for message in messages:
        where = pages.get(message.get("url", "").removeprefix("file:"), message.get("url", ""))
        errors += message.get("type") == "error"
        print(f"{message.get('type')}: {where} line {message.get('lastLine', '?')}: {message.get('message')}")
        if message.get("extract"):
            print(f"    {message['extract'].strip()[:200]}")
    print(f"vnu: {errors} error(s) on {len(pages)} page(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
