"""Vietnamese first: source strings are Vietnamese; translations/en holds the English catalogue.

Catalogues are compiled (.po -> .mo) into the instance folder at start-up, so no build step is needed. Every
gunicorn worker does it at once on a fresh installation: each writes its own temporary file and renames it into
place (atomic), so none ever reads, truncates or renames another's half-written file.
"""
import os
import tempfile
from datetime import date, datetime
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, has_request_context, request, session

TRANSLATIONS_SOURCE = Path(__file__).parent.parent / "translations"


def compile_translations(target: Path) -> None:
    for po_path in TRANSLATIONS_SOURCE.glob("*/LC_MESSAGES/messages.po"):
        mo_path = target / po_path.relative_to(TRANSLATIONS_SOURCE).with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        handle, tmp = tempfile.mkstemp(prefix=f"{mo_path.name}.", suffix=".tmp", dir=mo_path.parent)
        try:
            os.fchmod(handle, 0o644)  # mkstemp's 0600 would hide it from workers running as another user
            with os.fdopen(handle, "wb") as mo_file:
                write_mo(mo_file, catalog)
            os.replace(tmp, mo_path)
        except BaseException:
            os.unlink(tmp)
            raise


def select_locale() -> str:
    from flask import current_app

    lang = session.get("lang") if has_request_context() else None
    if lang in current_app.config["LANGUAGES"]:
        return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def format_date(value: date | datetime | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def format_datetime(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


def format_number(value, places: int | None = 2) -> str:
    """Scores and averages: a fixed number of decimals (or as few as needed), comma as decimal mark in Vietnamese."""
    if value is None:
        return "—"
    text = f"{value:.{places}f}" if places is not None else f"{float(value):g}"
    from flask_babel import get_locale

    return text.replace(".", ",") if str(get_locale()) == "vi" else text


def format_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


def init_i18n(app: Flask, babel) -> None:
    compiled = Path(app.instance_path) / "translations"
    compile_translations(compiled)
    babel.init_app(
        app,
        default_locale=app.config["BABEL_DEFAULT_LOCALE"],
        default_translation_directories=str(compiled),
        locale_selector=select_locale,
    )
    app.jinja_env.filters["vndate"] = format_date
    app.jinja_env.filters["vndatetime"] = format_datetime
    app.jinja_env.filters["filesize"] = format_size
    app.jinja_env.filters["number"] = format_number

    @app.context_processor
    def inject_languages():
        from flask_babel import get_locale

        path = request.full_path if has_request_context() else "/"
        return {"languages": app.config["LANGUAGES"], "current_lang": str(get_locale()), "request_path": path}
