"""Vietnamese first, English complete: every source string has a reviewed English translation, and the
language switch works (default Vietnamese, /lang/en and /lang/vi, no open redirect).

When test_every_source_string_has_an_english_translation fails, run scripts/update-translations.sh and
translate the listed strings in honours/translations/en/LC_MESSAGES/messages.po.
"""
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages import frontend
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from honours.core import roles
from tests.factories import make_org, make_user

ROOT = Path(__file__).resolve().parents[2]
BABEL_CFG = ROOT / "babel.cfg"
EN_PO = ROOT / "honours" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}

# %(name)s, %(max)d, ... (a bare "%" as in "50%" or "(%)" is text, not a placeholder)
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]")
VIETNAMESE_LETTERS = re.compile("[àáảãạăằắẳẵặâầấẩẫậđèẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I)
# Proper names and Vietnamese abbreviations that English text keeps as they are.
# Proper names, and the literal sheet names and cell values of the Vietnamese Excel templates users fill in.
KEPT_IN_ENGLISH = ("Bắc Ninh", "ĐH", "Hồ sơ đề cử", "Danh mục", '"Có"', '"Không"')


def _parse_babel_cfg():
    parse = getattr(frontend, "parse_mapping_cfg", None) or frontend.parse_mapping  # Babel < 2.14
    with BABEL_CFG.open(encoding="utf-8") as cfg:
        return parse(cfg, str(BABEL_CFG))


def _source_messages() -> dict[tuple[str, str | None], list[str]]:
    """{(msgid, context): ["file:line", ...]} exactly as `pybabel extract -F babel.cfg -k _l` finds them."""
    method_map, options_map = _parse_babel_cfg()
    found: dict[tuple[str, str | None], list[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, (tuple, list)) else message
        if msgid:
            found.setdefault((msgid, context), []).append(f"{filename}:{lineno}")
    return found


def _placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


class _AnyValue(dict):
    def __missing__(self, key):
        return 1  # formats with %s and %d alike


@pytest.fixture(scope="module")
def source_messages():
    return _source_messages()


@pytest.fixture(scope="module")
def english():
    with EN_PO.open("rb") as po:
        return read_po(po, locale="en")


def test_babel_cfg_covers_python_and_templates(source_messages):
    files = {where.rsplit(":", 1)[0] for places in source_messages.values() for where in places}
    assert any(f.startswith("honours/") and f.endswith(".py") for f in files)
    assert any(f.startswith("templates/") and f.endswith(".html") for f in files)
    assert ("Đăng nhập", None) in source_messages  # a template string
    assert ("Vui lòng nhập thông tin này.", None) in source_messages  # an _l() string


def test_every_source_string_has_an_english_translation(source_messages, english):
    missing, fuzzy = [], []
    for (msgid, context), places in sorted(source_messages.items()):
        entry = english.get(msgid, context=context)
        label = f"{msgid!r} ({', '.join(places[:3])})"
        if entry is None or not entry.string:
            missing.append(label)
        elif entry.fuzzy:
            fuzzy.append(label)
    assert not missing, (
        f"{len(missing)} source string(s) without English translation; run scripts/update-translations.sh "
        f"and translate them in {EN_PO.relative_to(ROOT)}:\n" + "\n".join(missing))
    assert not fuzzy, "Fuzzy (unreviewed) English translations:\n" + "\n".join(fuzzy)


def test_each_message_is_translated_once():
    """Branches append their strings to the catalogue; a msgid twice is a catalogue msgfmt refuses, and only one of
    the two English texts would show."""
    entries = re.findall(r'^(?!#)(msgctxt "(?:[^"\\]|\\.)*"\n)?msgid ((?:"(?:[^"\\]|\\.)*"\n)+)',
                         EN_PO.read_text(encoding="utf-8"), re.MULTILINE)
    seen, twice = set(), []
    for context, msgid in entries:
        key = context + msgid
        if key in seen:
            twice.append(msgid.strip())
        seen.add(key)
    assert twice == []


def test_english_translations_keep_placeholders_and_format(source_messages, english):
    problems = []
    for (msgid, context), places in sorted(source_messages.items()):
        entry = english.get(msgid, context=context)
        if entry is None or not entry.string:
            continue  # reported by the completeness test
        msgstr = entry.string[0] if isinstance(entry.string, tuple) else entry.string
        if _placeholders(msgid) != _placeholders(msgstr):
            problems.append(f"placeholders differ: {msgid!r} -> {msgstr!r}")
        # Jinja's newstyle gettext always applies "%" (even without arguments), and so does Flask-Babel when
        # arguments are given: those translations must format cleanly (a literal percent sign is "%%").
        from_template = any(p.startswith("templates/") for p in places)
        if from_template or PLACEHOLDER.search(msgid):
            try:
                msgstr % _AnyValue()
            except (ValueError, TypeError, KeyError) as error:
                problems.append(f"does not format ({error}): {msgstr!r}")
        # Template translations are marked safe (autoescape), so they must not bring in markup.
        if from_template:
            for char in '<>&"':
                if char in msgstr and char not in msgid:
                    problems.append(f"unescaped {char!r} in template translation: {msgstr!r}")
        leftover = msgstr
        for kept in KEPT_IN_ENGLISH:
            leftover = leftover.replace(kept, "")
        if VIETNAMESE_LETTERS.search(leftover):
            problems.append(f"Vietnamese left in the English text: {msgstr!r}")
    assert not problems, "\n".join(problems)
    assert not list(english.check()), list(english.check())  # Babel's own python-format checks


def _html_lang(response) -> str:
    match = re.search(r'<html[^>]*\blang="([^"]+)"', response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)[:500]
    return match.group(1)


def _local_redirect(response) -> str:
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.netloc in ("", "localhost"), response.headers["Location"]
    assert location.path.startswith("/") and not location.path.startswith("//")
    assert "\\" not in response.headers["Location"]
    return location.path


def test_language_switch(client):
    page = client.get("/login")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert _html_lang(page) == "vi"
    assert "Đăng nhập" in text and "Sign in" not in text

    assert _local_redirect(client.get("/lang/en?next=/login")) == "/login"
    page = client.get("/login")
    text = page.get_data(as_text=True)
    assert _html_lang(page) == "en"
    assert '<button type="submit" class="button">Sign in</button>' in text
    assert "<label for=\"password\">Password" in text
    assert "Đăng nhập" not in text and "Mật khẩu" not in text

    # An unknown language code is ignored: the choice already made stays.
    assert _local_redirect(client.get("/lang/xx?next=/login")) == "/login"
    assert _html_lang(client.get("/login")) == "en"

    assert _local_redirect(client.get("/lang/vi?next=/login")) == "/login"
    page = client.get("/login")
    assert _html_lang(page) == "vi"
    assert "Đăng nhập" in page.get_data(as_text=True)


def test_unknown_language_code_keeps_the_default(client):
    assert _local_redirect(client.get("/lang/xx?next=/login")) == "/login"
    assert _html_lang(client.get("/login")) == "vi"


@pytest.mark.parametrize("target", [
    "https://evil.example", "//evil.example", "/\\evil.example", "\\\\evil.example", "/\t/evil.example",
    "javascript:alert(1)", "evil.example",
])
def test_language_switch_cannot_redirect_off_site(client, target):
    response = client.get("/lang/en", query_string={"next": target})
    assert _local_redirect(response) == "/"
    assert "evil" not in response.headers["Location"]
    assert _html_lang(client.get("/login")) == "en"  # the language is still switched


def test_language_switch_without_next_goes_home(client):
    assert _local_redirect(client.get("/lang/en")) == "/"


def test_form_validation_messages_follow_the_language(client):
    response = client.post("/login", data={"email": "", "password": ""})
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert text.count("Vui lòng nhập thông tin này.") == 4  # next to each field and in the summary at the top

    client.get("/lang/en?next=/login")
    response = client.post("/login", data={"email": "", "password": ""})
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _html_lang(response) == "en"
    assert text.count("Please fill in this field.") == 4
    assert "There is a problem" in text
    assert "Vui lòng" not in text


def test_service_errors_follow_the_language(client):
    user = make_user(roles.NOMINATOR, make_org())
    client.get("/lang/en?next=/login")
    response = client.post("/login", data={"email": user.email, "password": "not-the-password-1"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Incorrect email or password." in text
    assert "Email hoặc mật khẩu không đúng." not in text


def test_the_chosen_language_survives_sign_in_and_sign_out(client):
    from tests.factories import PASSWORD

    user = make_user(roles.SECRETARIAT)
    client.get("/lang/en")
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert 'lang="en"' in client.get("/").get_data(as_text=True)
    page = client.post("/logout", follow_redirects=True).get_data(as_text=True)
    assert 'lang="en"' in page and "Bạn đã đăng xuất" not in page


def test_counts_use_english_plurals(client):
    from honours.nominations import services
    from tests.factories import PASSWORD, make_dossier, make_round

    org = make_org()
    nominator = make_user(roles.NOMINATOR, org)
    dossier = make_dossier(make_round(), org, nominator)
    services.submit(nominator, dossier)
    client.get("/lang/en")
    client.post("/login", data={"email": nominator.email, "password": PASSWORD})
    page = client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert "1 file, 1 achievement" in page


def _start_an_app(instance: str, barrier, failures) -> None:
    """A gunicorn worker's start on a fresh installation: create the app, then read an English page's text."""
    import os

    os.environ["HONOURS_INSTANCE_PATH"] = instance
    try:
        barrier.wait(timeout=30)
        from flask_babel import force_locale, gettext

        from honours import create_app

        app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True, "SECRET_KEY": "test-secret"})
        with app.test_request_context(), force_locale("en"):
            assert gettext("Vui lòng đăng nhập để tiếp tục.") != "Vui lòng đăng nhập để tiếp tục."
    except BaseException as error:  # noqa: BLE001  (reported to the parent, whatever it is)
        failures.put(repr(error))


def test_workers_starting_together_on_a_fresh_instance_all_get_the_translations(tmp_path):
    """Every worker compiles the catalogues at start; on a fresh instance folder they did it at the same moment
    into the same temporary file, and one in three starts failed (FileNotFoundError, or a truncated catalogue)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    workers, rounds = 6, 2
    failures = context.Queue()
    for attempt in range(rounds):
        instance = str(tmp_path / f"instance-{attempt}")
        barrier = context.Barrier(workers)
        processes = [context.Process(target=_start_an_app, args=(instance, barrier, failures))
                     for _ in range(workers)]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=60)
        assert [process.exitcode for process in processes] == [0] * workers
        assert not any(Path(instance, "translations").rglob("*.tmp"))
    reported = []
    while not failures.empty():
        reported.append(failures.get())
    assert reported == []
