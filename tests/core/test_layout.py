"""Layout rules a phone depends on, checked without a browser (tests/browser/test_layout_browser.py measures):
every table sits in a labelled, focusable scroll region (macros/tables.html), and the main menu marks the
section of the current page with aria-current="page" (honours/core/navigation.py, core/_main_nav.html)."""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import render_template_string

from honours.core import roles
from honours.core.navigation import current_nav_item
from tests.access.test_access_matrix import ANONYMOUS, EVERYONE, ROUTES, build_url, world  # noqa: F401  (world: a fixture)
from tests.conftest import client_with

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
REGION_TAG = re.compile(r"\{%-?\s*(call scroll_region\((?P<label>.*?)\)|endcall)\s*-?%\}|<table\b", re.S)


# ---------------------------------------------------------------- every <table> in templates/, statically

def unwrapped_tables(source: str) -> list[int]:
    """Line numbers of the <table> tags not inside a {% call scroll_region(label) %} block with a label."""
    open_regions, lines = [], []
    for match in REGION_TAG.finditer(source):
        text = match.group(0)
        if text.startswith("<table"):
            if not open_regions:
                lines.append(source.count("\n", 0, match.start()) + 1)
        elif "scroll_region" in text:
            open_regions.append(match.group("label").strip())
        elif open_regions:
            open_regions.pop()
    return lines


def test_the_scan_finds_a_bare_table_and_accepts_a_wrapped_one():
    bare = "<h2>x</h2>\n<table></table>"
    wrapped = '{% call scroll_region(_("Danh sách")) %}\n<table></table>\n{% endcall %}\n<table>'
    assert unwrapped_tables(bare) == [2]
    assert unwrapped_tables(wrapped) == [4]


def test_every_table_in_the_templates_is_inside_a_labelled_scroll_region():
    found, bare = 0, []
    for path in sorted(TEMPLATES.rglob("*.html")):
        if path.name == "tables.html" and path.parent.name == "macros":
            continue  # the macro itself (its comment shows a <table>)
        source = path.read_text(encoding="utf-8")
        found += len(re.findall(r"<table\b", source))
        bare += [f"{path.relative_to(TEMPLATES)}:{line}" for line in unwrapped_tables(source)]
        for label in re.findall(r"call scroll_region\((.*?)\)\s*%\}", source):
            assert label.strip() not in ("", '""', "''"), f"{path.name}: a scroll region needs a label"
    assert found > 40
    assert bare == []


def test_the_scroll_region_is_a_focusable_labelled_region(app):
    with app.test_request_context():
        html = render_template_string(
            '{% from "macros/tables.html" import scroll_region %}'
            '{% call scroll_region("Hồ sơ & kết quả") %}<table><tr><td>1</td></tr></table>{% endcall %}')
    assert re.search(r'<div class="table-scroll" role="region" aria-label="Hồ sơ &amp; kết quả" tabindex="0">\s*'
                     r"<table>", html), html


# ---------------------------------------------------------------- the rendered pages of the access matrix

class _Tables(HTMLParser):
    """Each <table> with the scroll region around it (the innermost open div.table-scroll), if any; the links
    of the main menu with their aria-current."""

    def __init__(self):
        super().__init__()
        self.divs, self.tables, self.nav_depth, self.menu = [], [], 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div":
            self.divs.append(attrs)
        elif tag == "table":
            regions = [d for d in self.divs if "table-scroll" in (d.get("class") or "").split()]
            self.tables.append(regions[-1] if regions else None)
        elif tag == "nav" and attrs.get("aria-label") == "Điều hướng chính":
            self.nav_depth = 1
        elif tag == "a" and self.nav_depth:
            self.menu.append([attrs.get("aria-current"), ""])

    def handle_endtag(self, tag):
        if tag == "div" and self.divs:
            self.divs.pop()
        elif tag == "nav":
            self.nav_depth = 0

    def handle_data(self, data):
        if self.nav_depth and self.menu:
            self.menu[-1][1] += data.strip()


def parse(html: str) -> _Tables:
    parser = _Tables()
    parser.feed(html)
    return parser


@pytest.fixture
def app(module_app, db_savepoint):
    return module_app


@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_every_table_a_role_sees_scrolls_in_a_labelled_focusable_region(app, world, role):  # noqa: F811
    client = client_with(app, world["cookies"][role]) if role != ANONYMOUS else app.test_client()
    tables = 0
    for endpoint, rule, method in ROUTES:
        if method != "GET" or endpoint in ("static", "auth.logout"):
            continue
        try:
            url = build_url(rule, world["params"])
        except AssertionError:
            continue
        response = client.get(url)
        if response.mimetype != "text/html":
            continue
        page = parse(response.get_data(as_text=True))
        for region in page.tables:
            tables += 1
            assert region is not None, f"{role} {url}: a <table> outside a .table-scroll region"
            assert region.get("role") == "region" and region.get("tabindex") == "0", f"{role} {url}: {region}"
            assert (region.get("aria-label") or "").strip(), f"{role} {url}: a scroll region without a label"
        assert sum(current == "page" for current, _ in page.menu) <= 1, f"{role} {url}: {page.menu}"
    if role in (roles.SECRETARIAT, roles.NOMINATOR):
        assert tables > 0  # the world shows them tables (the dossier list, the inbox): the walk checked some


def _current(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return [label for current, label in parse(response.get_data(as_text=True)).menu if current == "page"]


def test_the_menu_marks_the_section_of_the_current_page(app, world):  # noqa: F811
    secretariat = client_with(app, world["cookies"][roles.SECRETARIAT])
    params = world["params"]
    assert _current(secretariat, "/eligibility/") == ["Thẩm định hồ sơ"]
    assert _current(secretariat, f"/dossiers/{params['dossier_id']}") == ["Thẩm định hồ sơ"]  # opened from the inbox
    assert _current(secretariat, f"/rounds/{params['round_id']}") == ["Đợt xét"]
    assert _current(secretariat, "/audit/") == ["Nhật ký"]
    assert _current(secretariat, "/vinh-danh") == ["Vinh danh"]
    assert _current(secretariat, "/") == []  # the home page is the brand link, not a menu item
    nominator = client_with(app, world["cookies"][roles.NOMINATOR])
    assert _current(nominator, "/dossiers/") == ["Hồ sơ đề cử"]
    assert _current(nominator, "/tien-cu/") == ["Tiến cử người tài"]
    assert _current(nominator, "/import/people/") == ["Danh sách trí thức"]
    assert _current(secretariat, "/import/people/") == ["CSDL trí thức"]


# ---------------------------------------------------------------- the one rule that picks the current item

ITEMS = [
    ("talent.index", "Tiến cử người tài", ("talent",)),
    ("talent.needs", "Nhu cầu, đặt hàng", ("talent.needs", "talent.need", "talent.need_edit")),
    ("nominations.index", "Hồ sơ đề cử", ("nominations", "submissions")),
]


@pytest.mark.parametrize("path,expected", [
    ("/tien-cu/", "talent.index"),
    ("/tien-cu/moi", "talent.index"),              # talent.create: the blueprint's item
    ("/tien-cu/nhu-cau", "talent.needs"),          # an endpoint named by an item beats its blueprint
    ("/tien-cu/nhu-cau/7/sua", "talent.needs"),
    ("/dossiers/3/submissions/1", "nominations.index"),
    ("/chi-so/", None),                            # a page of no item's section
])
def test_current_nav_item_prefers_the_most_specific_section(app, path, expected):
    with app.test_request_context(path):
        assert current_nav_item(ITEMS) == expected
