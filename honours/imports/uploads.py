"""What every Excel upload page shares (dossier and account imports here, staff lists in honours.intake): the
upload read once the account is within its import rate, and workbooks sent back as private downloads."""
from datetime import timedelta
from io import BytesIO

from flask import current_app, send_file
from flask_babel import gettext as _
from flask_login import current_user

from honours.core import ratelimit
from honours.core.errors import RuleViolation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_download(data: bytes, name: str):
    response = send_file(BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def read_upload(form) -> tuple[bytes, str]:
    """The uploaded file, once the account is within its import rate (every attempt counts, refused or not; the
    rate is shared by every import)."""
    config = current_app.config
    if not ratelimit.allow("import", current_user.id, config["IMPORT_RATE_LIMIT"],
                           timedelta(minutes=config["IMPORT_RATE_WINDOW_MINUTES"])):
        raise RuleViolation(_("Bạn đã nhập quá nhiều tệp trong thời gian ngắn. Vui lòng thử lại sau %(minutes)s phút.",
                              minutes=config["IMPORT_RATE_WINDOW_MINUTES"]))
    upload = form.file.data
    return upload.read(), upload.filename or ""
