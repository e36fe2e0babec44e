"""Publication: the secretariat's publishing page, and the public honoured list, honouree pages and exports.

Public pages need no login. They are cacheable: ETag and Last-Modified come from the publication and a stamp of
the content shown, so a revalidation costs the queries but no rendering; anonymous visitors get
`Cache-Control: public`, signed-in users (whose name is in the header) `private`.
"""
import hashlib
import os
from datetime import datetime, timezone
from functools import cache
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from werkzeug.http import is_resource_modified

from honours.core import roles, web
from honours.core import storage as storage
from honours.core.clock import PROVINCE_TZ
from honours.core.confirm import ConfirmationNeeded
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.web import refused, require_role
from honours.notice import services as notice
from honours.rounds.models import Round
from honours.rounds.signals import round_page_sections

from . import exports, media, page_cache, services, site
from .forms import PublicationForm, SearchForm, document_form, photo_form

bp = Blueprint("publication", __name__)
bp.record_once(lambda state: page_cache.install(state.app))

PUBLIC_MAX_AGE = 300
PHOTO_MAX_AGE = 86400
NEVER = datetime(2000, 1, 1)  # Last-Modified of a page showing nothing published


# ---------------------------------------------------------------- secretariat

def _fresh_form(info: services.Overview) -> PublicationForm:
    """The page as stored: a dossier without a citation yet shows the suggestion from its merits summary."""
    rows = [{"dossier_id": d.id, "version": d.version,
             "citation": d.citation or services.suggested_citation(d.merits_summary)} for d in info.candidates]
    return PublicationForm(formdata=None, data={"citations": rows})


def _round_page(info: services.Overview, form: PublicationForm, status: int = 200, photos_form=None):
    dossiers = {d.id: d for d in info.candidates}
    rows = []
    for row in form.citations:
        dossier = dossiers.get(row.form.dossier_id.data)
        if dossier is not None:
            row.form.citation.label.text = _("Trích dẫn công bố: %(name)s", name=dossier.full_name)
            rows.append((dossier, row.form))
    return render_template("publication/round.html", info=info, round=info.round, form=form, rows=rows,
                           photo_form=photos_form or photo_form(info.candidates),
                           publication_photos=media.photos_of_round(info.round.id)), status


@bp.get("/publication/rounds/<int:round_id>")
@require_role(roles.SECRETARIAT)
def round_page(round_id: int):
    info = services.overview(db.get_or_404(Round, round_id))
    return _round_page(info, _fresh_form(info))


@bp.post("/publication/rounds/<int:round_id>/citations")
@require_role(roles.SECRETARIAT)
def save_citations(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    form = PublicationForm()
    if not form.validate_on_submit():
        return _round_page(services.overview(round_), form, 422)
    try:
        changed = services.save_citations(current_user, round_, form.edits())
    except RuleViolation as error:
        status = refused(error)
        return _round_page(services.overview(round_), form, status)
    flash(_("Đã lưu %(n)s trích dẫn công bố.", n=changed), "success")
    return redirect(url_for("publication.round_page", round_id=round_id))


@bp.post("/publication/rounds/<int:round_id>/publish")
@require_role(roles.SECRETARIAT)
def publish(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    form = PublicationForm()
    if not form.validate_on_submit():
        return _round_page(services.overview(round_), form, 422)
    try:
        count = services.publish(current_user, round_, form.edits(), confirmed=web.confirmed(),
                                 override_reason=web.override_reason())
    except ConfirmationNeeded as needed:
        return web.confirmation_page(needed, _("Xác nhận công bố danh sách được tôn vinh"),
                                     url_for("publication.round_page", round_id=round_id), _("Công bố danh sách"))
    except RuleViolation as error:
        status = refused(error)
        return _round_page(services.overview(round_), form, status)
    flash(_("Đã công bố danh sách %(n)s trí thức được tôn vinh và gửi thông báo kết quả cho các đơn vị đề cử.",
            n=count), "success")
    return redirect(url_for("publication.round_page", round_id=round_id))


@bp.post("/publication/rounds/<int:round_id>/photos")
@require_role(roles.SECRETARIAT)
def upload_photo(round_id: int):
    """A refused upload answers the publishing page itself, the honouree still chosen."""
    round_ = db.get_or_404(Round, round_id)
    info = services.overview(round_)
    form = photo_form(info.candidates)
    if not form.validate_on_submit():
        return _round_page(info, _fresh_form(info), 422, form)
    upload = form.file.data
    if not upload or not upload.filename:
        form.file.errors = [*form.file.errors, _("Vui lòng chọn tệp để tải lên.")]
        return _round_page(info, _fresh_form(info), 422, form)
    try:
        media.set_photo(current_user, round_, int(form.dossier_id.data), upload.stream, upload.filename)
    except (RuleViolation, ValueError) as error:
        if isinstance(error, ValueError):
            error = RuleViolation(_("Hồ sơ không thuộc danh sách được Hội đồng thông qua của đợt xét này."))
        status = refused(error, form.file)
        info = services.overview(db.get_or_404(Round, round_id))
        return _round_page(info, _fresh_form(info), status, form)
    flash(_("Đã tải lên ảnh công bố."), "success")
    return redirect(url_for("publication.round_page", round_id=round_id))


@bp.get("/publication/photos/<int:picture_id>")
@require_role(roles.SECRETARIAT)
def publication_photo_preview(picture_id: int):
    """The secretariat's thumbnail of a publication photo, published or not."""
    photo = db.get_or_404(media.PublicationPhoto, picture_id)
    path = storage.path_for(photo.stored_name(photo.width_list[0]))
    if not os.path.exists(path):
        abort(404)
    response = send_file(path, mimetype="image/jpeg", conditional=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


# ---------------------------------------------------------------- the round's documents (round page section)

@round_page_sections.connect
def documents_section(round_: Round) -> Markup:
    form = g.get("round_document_form") or document_form()
    return Markup(render_template(  # nosec B704 # an autoescaped template
        "publication/_round_documents.html", round=round_, documents=media.documents_of([round_.id])[round_.id],
        form=form, announced=media.is_announced(round_)))


def _round_show(round_: Round, status: int):
    sections = [section for _receiver, section in round_page_sections.send(round_)]
    return render_template("rounds/show.html", round=round_, sections=sections), status


@bp.post("/publication/rounds/<int:round_id>/documents")
@require_role(roles.SECRETARIAT)
def add_document(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    form = document_form()
    g.round_document_form = form
    if not form.validate_on_submit():
        return _round_show(round_, 422)
    upload = form.file.data
    if not upload or not upload.filename:
        form.file.errors = [*form.file.errors, _("Vui lòng chọn tệp để tải lên.")]
        return _round_show(round_, 422)
    try:
        media.add_document(current_user, round_, form.title.data, form.kind.data, upload.stream, upload.filename)
    except RuleViolation as error:
        status = refused(error, form.file)
        return _round_show(db.get_or_404(Round, round_id), status)
    flash(_("Đã đính kèm tài liệu \"%(title)s\".", title=form.title.data.strip()), "success")
    return redirect(url_for("rounds.show", round_id=round_id))


@bp.post("/publication/rounds/<int:round_id>/documents/<int:document_id>/delete")
@require_role(roles.SECRETARIAT)
def delete_document(round_id: int, document_id: int):
    round_ = db.get_or_404(Round, round_id)
    try:
        media.delete_document(current_user, round_, document_id, confirmed=web.confirmed())
    except ConfirmationNeeded as needed:
        return web.confirmation_page(needed, _("Xác nhận xoá tài liệu của đợt xét"),
                                     url_for("rounds.show", round_id=round_id), _("Xoá tài liệu"))
    except RuleViolation as error:
        refused(error)
        abort(404)
    flash(_("Đã xoá tài liệu."), "success")
    return redirect(url_for("rounds.show", round_id=round_id))


# ---------------------------------------------------------------- caching of public responses

def _http_date(moment):
    return moment.replace(tzinfo=PROVINCE_TZ).astimezone(timezone.utc).replace(microsecond=0)


@cache
def _rendering_version() -> str:
    """A digest of what shapes public responses besides the data (templates, export code, translations), so a
    deployment that changes them does not keep answering 304 for the old rendering."""
    templates = Path(current_app.template_folder)
    sources = [templates / "base.html", templates / "macros" / "forms.html",
               *sorted((templates / "publication").glob("*.html")), Path(exports.__file__),
               *sorted((Path(current_app.root_path) / "translations").glob("*/LC_MESSAGES/messages.po"))]
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.read_bytes() if source.exists() else b"")
    return digest.hexdigest()[:16]


def _cached(parts: tuple, last_modified, render, per_viewer: bool = True, by_language: bool = True):
    """Answer 304 when the client's copy is current (without rendering), else render; set the cache headers.

    The ETag covers the content stamp, the language and, for HTML, the signed-in user (the header shows their
    name). A page carrying flashed messages is one person's page: never shared, never answered with 304.
    """
    anonymous = not current_user.is_authenticated
    viewer = "anonymous" if anonymous or not per_viewer else f"user-{current_user.get_id()}"
    language = str(get_locale()) if by_language else ""
    etag = services.content_stamp(_rendering_version(), parts, language, viewer)
    return _respond(etag, _http_date(last_modified), render, anonymous)


def _respond(etag: str, last_modified, render, anonymous: bool):
    personal = bool(session.get("_flashes"))
    if not personal and not is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
        response = current_app.response_class(status=304)
    else:
        response = make_response(render())
    response.set_etag(etag)
    response.last_modified = last_modified
    if anonymous and not personal:
        response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    else:
        response.headers["Cache-Control"] = "private, no-cache"
    response.vary.add("Cookie")
    return response


def _shared_list(build):
    """A public list page: an anonymous visitor's copy may be kept by the page cache (page_cache.py).
    build() returns what _cached() takes: (parts, last_modified, render)."""
    if not current_user.is_authenticated and not session.get("_flashes"):
        page_cache.mark_shareable()
    return _cached(*build())


# ---------------------------------------------------------------- public pages

def _search_form() -> SearchForm:
    form = SearchForm(request.args)
    form.validate()
    return form


@bp.get("/vinh-danh")
def index():
    if "q" not in request.args:
        return _shared_list(_latest_list)
    form = _search_form()
    years = services.published_years()
    query = (form.q.data or "").strip() if not form.q.errors else ""
    if query:
        found = services.search(query)
        return _cached(("search", query, years, services.content_stamp(found)),
                       max([h.updated_at for h in found], default=NEVER),
                       lambda: render_template("publication/search.html", form=form, query=query, found=found,
                                               years=years))
    return _cached(*_latest_list(form, years))


def _latest_list(form: SearchForm | None = None, years: list[int] | None = None):
    form = form or _search_form()
    years = services.published_years() if years is None else years
    year = services.latest_published_year()
    listing = services.listing_for_year(year) if year is not None else None
    # The proposed lists on public notice are linked from here while their period runs (part of the stamp).
    notices = notice.running_rounds()
    noticed = [(r.id, r.name, r.notice_ends_at) for r in notices]
    if listing is None:
        return (("empty", years, noticed), NEVER,
                lambda: render_template("publication/list.html", form=form, listing=None, years=years,
                                        notices=notices))
    return (("latest", listing.stamp, years, noticed), listing.last_modified,
            lambda: render_template("publication/list.html", form=form, listing=listing, years=years, latest=True,
                                    notices=notices))


@bp.get("/vinh-danh/<int:year>")
def year_list(year: int):
    def build():
        listing = services.listing_for_year(year)
        if listing is None:
            abort(404)
        years = services.published_years()
        return (("year", listing.stamp, years), listing.last_modified,
                lambda: render_template("publication/list.html", form=SearchForm(formdata=None), listing=listing,
                                        years=years, latest=False))

    return _shared_list(build)


@bp.get("/vinh-danh/<int:year>/<int:honouree_id>", defaults={"slug": ""})
@bp.get("/vinh-danh/<int:year>/<int:honouree_id>-<slug>")
def honouree(year: int, honouree_id: int, slug: str):
    found = services.honouree(honouree_id)
    if found is None:
        abort(404)
    person, public_round = found
    if year != person.year or slug != person.slug:  # shared links keep working when the slug is wrong
        return redirect(url_for("publication.honouree", year=person.year, honouree_id=person.id, slug=person.slug),
                        301)
    canonical = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + person.path
    return _cached(("honouree", services.content_stamp(person, public_round)),
                   max(person.updated_at, public_round.published_at),
                   lambda: render_template("publication/honouree.html", person=person, round=public_round,
                                           canonical=canonical))


@bp.get("/vinh-danh/anh/<int:photo_id>")
def photo(photo_id: int):
    attachment = services.public_photo(photo_id)
    if attachment is None:
        abort(404)
    path = storage.path_for(attachment.stored_name)
    if not os.path.exists(path):
        current_app.logger.error("photo %s missing on disk (%s)", attachment.id, attachment.stored_name)
        abort(404)
    # A published portrait never changes (attachments are frozen once submitted): cache it for a day.
    response = send_file(path, mimetype=attachment.content_type, conditional=True, etag=attachment.sha256,
                         last_modified=_http_date(attachment.uploaded_at), max_age=PHOTO_MAX_AGE)
    response.headers["Content-Disposition"] = "inline"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = f"public, max-age={PHOTO_MAX_AGE}"
    return response


@bp.get("/vinh-danh/anh-cong-bo/<photo_key>/<int:width>.jpg")
def publication_photo(photo_key: str, width: int):
    found = media.public_photo(photo_key, width)
    if found is None:
        abort(404)
    photo, stored_name = found
    path = storage.path_for(stored_name)
    if not os.path.exists(path):
        current_app.logger.error("publication photo %s missing on disk (%s)", photo.id, stored_name)
        abort(404)
    # A publication photo's files never change (a new upload is a new photo with a new id): cache for a day.
    response = send_file(path, mimetype="image/jpeg", conditional=True, etag=f"{photo.key}-{width}",
                         last_modified=_http_date(photo.uploaded_at), max_age=PHOTO_MAX_AGE)
    response.headers["Content-Disposition"] = "inline"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = f"public, max-age={PHOTO_MAX_AGE}"
    return response


@bp.get("/tai-lieu/<int:document_id>")
def round_document(document_id: int):
    """A guidance document of an announced round, for anyone; of any other round it does not exist."""
    document = media.public_document(document_id)
    if document is None:
        abort(404)
    path = storage.path_for(document.stored_name)
    if not os.path.exists(path):
        current_app.logger.error("round document %s missing on disk (%s)", document.id, document.stored_name)
        abort(404)
    response = send_file(path, mimetype=document.content_type, as_attachment=True,
                         download_name=document.download_name, conditional=True, etag=document.sha256,
                         last_modified=_http_date(document.uploaded_at), max_age=PUBLIC_MAX_AGE)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response


@bp.get("/vinh-danh/quyet-dinh/<int:decision_id>.pdf")
def signed_decision(decision_id: int):
    """The provincial decision as signed by the province, once the round is published."""
    decision = services.signed_decision(decision_id)
    if decision is None:
        abort(404)
    path = storage.path_for(decision.stored_name)
    if not os.path.exists(path):
        current_app.logger.error("signed decision %s missing on disk (%s)", decision.id, decision.stored_name)
        abort(404)
    response = send_file(path, mimetype="application/pdf", as_attachment=True,
                         download_name=decision.download_name, conditional=True, etag=decision.sha256,
                         last_modified=_http_date(decision.uploaded_at), max_age=PUBLIC_MAX_AGE)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response


@bp.get("/robots.txt")
def robots():
    response = current_app.response_class(site.robots_txt(current_app), mimetype="text/plain")
    response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response


@bp.get("/sitemap.xml")
def sitemap():
    base_url = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    entries = site.sitemap_entries()
    return _cached(("sitemap", base_url, services.content_stamp(entries)),
                   max([e.last_modified for e in entries if e.last_modified], default=NEVER),
                   lambda: current_app.response_class(site.sitemap_xml(entries, base_url),
                                                      mimetype="application/xml"),
                   per_viewer=False, by_language=False)


# ---------------------------------------------------------------- exports

def _export(year: int, extension: str, mimetype: str, build, attachment: bool = True):
    listing = services.listing_for_year(year)
    if listing is None:
        abort(404)
    base_url = current_app.config["PUBLIC_BASE_URL"].rstrip("/")

    def render():
        response = current_app.response_class(build(listing, base_url), mimetype=mimetype)
        if attachment:
            response.headers["Content-Disposition"] = f'attachment; filename="vinh-danh-{year}.{extension}"'
        return response

    # Spreadsheet and PDF headings follow the visitor's language; the JSON keys and values do not.
    response = _cached(("export", extension, listing.stamp, base_url), listing.last_modified, render,
                       per_viewer=False, by_language=extension != "json")
    if extension == "json":  # open data: any site may read it (no credentials are involved)
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/vinh-danh/<int:year>.xlsx")
def export_xlsx(year: int):
    return _export(year, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.to_xlsx)


@bp.get("/vinh-danh/<int:year>.csv")
def export_csv(year: int):
    return _export(year, "csv", "text/csv; charset=utf-8", exports.to_csv)


@bp.get("/vinh-danh/<int:year>.pdf")
def export_pdf(year: int):
    return _export(year, "pdf", "application/pdf", lambda listing, _base: exports.to_pdf(listing))


@bp.get("/vinh-danh/<int:year>.json")
def export_json(year: int):
    return _export(year, "json", "application/json", exports.to_json, attachment=False)
