"""Workbooks built to exhaust the server (issue 10, finding 1): a tiny zip whose shared-strings table unpacks to
tens of MB, strings longer than Excel allows, a parse that never ends; and the per-account import rate limit.
The file is refused within seconds, in a child process under limits, while the app keeps answering /healthz."""
import io
import threading
import time
import urllib.request
import zipfile

import pytest

from honours.core import roles
from honours.imports import workbook as wb
from tests.browser_support import live_server
from tests.conftest import login
from tests.factories import make_user
from tests.imports.test_imports import dossiers_of, person, upload, workbook, world  # noqa: F401

SST = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
SST_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def with_shared_strings(strings: bytes, part="xl/sharedStrings.xml") -> bytes:
    """The test workbook of one good row, plus a shared-strings part `strings` (declared in the manifest and the
    workbook's relationships, as openpyxl finds it), compressed to a small zip."""
    source = zipfile.ZipFile(io.BytesIO(workbook([person()])))
    entries = {info.filename: source.read(info.filename) for info in source.infolist()}
    entries[part] = b'<?xml version="1.0" encoding="UTF-8"?>' + SST + strings + b"</sst>"
    entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/' + part.encode() + b'" ContentType="' + SST_TYPE + b'"/></Types>')
    entries["xl/_rels/workbook.xml.rels"] = entries["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="/' + part.encode() + b'"/></Relationships>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def hostile_workbook() -> bytes:
    """The workbook of the finding: 2.6 million one-letter strings, 44 MB unpacked, about 112 KB zipped."""
    return with_shared_strings(b"<si><t>a</t></si>" * 2_600_000)


def test_the_hostile_workbook_is_refused_in_seconds_while_healthz_answers(world, client, app):  # noqa: F811
    data = hostile_workbook()
    assert len(data) < 200_000
    answers, stop = [], threading.Event()

    def poll(base_url):
        while not stop.is_set():
            started = time.monotonic()
            with urllib.request.urlopen(base_url + "/healthz", timeout=10) as response:  # nosec B310 # localhost
                answers.append((response.status, time.monotonic() - started))
            time.sleep(0.05)

    with live_server(app) as base_url:
        poller = threading.Thread(target=poll, args=(base_url,), daemon=True)
        poller.start()
        started = time.monotonic()
        page = upload(client, world["round"].id, data)
        elapsed = time.monotonic() - started
        stop.set()
        poller.join(15)
    assert page.status_code == 422 and "quá lớn khi giải nén" in page.get_data(as_text=True)
    assert elapsed < 5
    assert answers and all(status == 200 and seconds < 2 for status, seconds in answers)
    assert dossiers_of(world["org"]) == []


@pytest.mark.parametrize("strings,message", [
    (b"<si><t>a</t></si>" * 300_000, "quá nhiều ô chữ (trên 200000)"),  # 5 MB: under the part limit
    (b"<si><r><t>" + b"x" * 40_000 + b"</t></r></si>", "ô dài quá 32767 ký tự"),
    (b'<!DOCTYPE sst [<!ENTITY a "aaaa">]><si><t>&a;</t></si>', "Không đọc được tệp Excel"),
])
def test_shared_strings_are_counted_before_parsing(world, client, strings, message):  # noqa: F811
    data = with_shared_strings(strings)
    started = time.monotonic()
    page = upload(client, world["round"].id, data)
    assert page.status_code == 422 and message in page.get_data(as_text=True)
    assert time.monotonic() - started < 5
    assert dossiers_of(world["org"]) == []


def test_a_renamed_shared_strings_part_is_found_through_the_manifest(world, client):  # noqa: F811
    page = upload(client, world["round"].id,
                  with_shared_strings(b"<si><t>a</t></si>" * 300_000, part="xl/strings-of-mine.xml"))
    assert page.status_code == 422 and "quá nhiều ô chữ" in page.get_data(as_text=True)


def test_a_part_over_the_part_limit_is_refused(world, client, app):  # noqa: F811
    app.config["IMPORT_MAX_PART_BYTES"] = 64 * 1024
    page = upload(client, world["round"].id, with_shared_strings(b"<si><t>ab</t></si>" * 10_000))
    assert page.status_code == 422 and "quá lớn khi giải nén" in page.get_data(as_text=True)


def test_the_parse_runs_in_a_child_killed_at_the_time_limit(world, client, app, monkeypatch):  # noqa: F811
    app.config["IMPORT_PARSE_SECONDS"] = 1

    def never_ends(*_args):
        while True:
            pass

    monkeypatch.setattr(wb, "_read_sheets", never_ends)
    started = time.monotonic()
    page = upload(client, world["round"].id, workbook([person()]))
    assert time.monotonic() - started < 4
    assert page.status_code == 422
    assert "Không đọc xong tệp Excel trong thời gian cho phép" in page.get_data(as_text=True)
    assert dossiers_of(world["org"]) == []


def test_rows_stop_at_the_limit_and_a_good_file_still_imports(world, client, app):  # noqa: F811
    app.config["IMPORT_MAX_ROWS"] = 2
    book = wb.load(workbook([person(f"Người {i}") for i in range(50)]), ["Hồ sơ đề cử"], wb.Limits.of(app.config))
    assert len(book.sheets[0].rows) == 2 and book.sheets[0].too_many
    app.config["IMPORT_MAX_ROWS"] = 10_000
    assert upload(client, world["round"].id, workbook([person()])).status_code == 200
    assert len(dossiers_of(world["org"])) == 1


def test_imports_are_rate_limited_per_account(world, client, app):  # noqa: F811
    app.config["IMPORT_RATE_LIMIT"] = 3
    for _attempt in range(3):
        assert upload(client, world["round"].id, b"not excel").status_code == 422  # refused ones count too
    page = upload(client, world["round"].id, workbook([person()]))
    assert page.status_code == 422 and "nhập quá nhiều tệp" in page.get_data(as_text=True)
    assert dossiers_of(world["org"]) == []

    other = app.test_client()  # another account of the same organisation is not held back
    login(other, make_user(roles.NOMINATOR, world["org"]))
    assert upload(other, world["round"].id, workbook([person()])).status_code == 200


def test_the_rate_limit_window_slides(world, client, app):  # noqa: F811
    from datetime import timedelta

    from honours.core import clock
    from tests.conftest import NOW

    app.config["IMPORT_RATE_LIMIT"] = 1
    assert upload(client, world["round"].id, b"not excel").status_code == 422
    assert "nhập quá nhiều tệp" in upload(client, world["round"].id, b"x").get_data(as_text=True)
    with clock.frozen(NOW + timedelta(minutes=app.config["IMPORT_RATE_WINDOW_MINUTES"], seconds=1)):
        assert upload(client, world["round"].id, workbook([person()])).status_code == 200


def test_the_account_import_refuses_the_hostile_workbook_in_seconds(app, client):
    login(client, make_user(roles.SECRETARIAT))
    data = hostile_workbook()
    started = time.monotonic()
    page = client.post("/import/accounts", data={"round_id": 0, "file": (io.BytesIO(data), "t.xlsx")},
                       content_type="multipart/form-data")
    assert page.status_code == 422 and "quá lớn khi giải nén" in page.get_data(as_text=True)
    assert time.monotonic() - started < 5
