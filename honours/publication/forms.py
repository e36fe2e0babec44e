from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import FieldList, FormField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.widgets import HiddenInput

from honours.core.forms import Form, RowForm, max_length, optional, posted_version, required, required_input

from .media import TITLE_MAX
from .models import DOCUMENT_KINDS
from .services import CITATION_MAX, CitationEdit


class CitationRow(RowForm):
    dossier_id = IntegerField(widget=HiddenInput(), validators=[required_input()])
    version = HiddenField()
    citation = TextAreaField(_l("Trích dẫn công bố"), validators=[required(), max_length(CITATION_MAX)],
                             render_kw={"rows": 4})


class PublicationForm(Form):
    """The citations of every approved dossier in one form; the same form publishes (saving them first, after the
    confirmation page: honours.core.confirm)."""

    citations = FieldList(FormField(CitationRow))

    def edits(self) -> list[CitationEdit]:
        result = []
        for row in self.citations:
            result.append(CitationEdit(row.form.dossier_id.data, posted_version(row.form.version),
                                       row.form.citation.data or ""))
        return result


class SearchForm(Form):
    """The public search box: a GET form, nothing to protect with a CSRF token."""

    class Meta:
        csrf = False

    q = StringField(_l("Tìm theo họ tên hoặc nơi công tác"), validators=[optional(), max_length(100)])


class RoundDocumentForm(Form):
    """A guidance document of a round (the secretariat's round page)."""

    title = StringField(_l("Tên tài liệu"), validators=[required(), max_length(TITLE_MAX)])
    kind = SelectField(_l("Loại tài liệu"), validators=[required()],
                       choices=[("", _l("— Chọn loại tài liệu —")), *DOCUMENT_KINDS.items()])
    file = FileField(_l("Tệp PDF"))


class PhotoForm(Form):
    """The publication photo of one honouree (the publishing page)."""

    dossier_id = SelectField(_l("Người được tôn vinh"), validators=[required()], validate_choice=False)
    file = FileField(_l("Ảnh (JPEG hoặc PNG)"))


def document_form() -> RoundDocumentForm:
    return RoundDocumentForm(prefix="document")


def photo_form(candidates) -> PhotoForm:
    """Filled from the request on a POST (Flask-WTF), empty otherwise; ids prefixed: the page has other forms."""
    form = PhotoForm(prefix="photo")
    form.dossier_id.choices = [("", _l("— Chọn người được tôn vinh —"))] + [(str(d.id), d.full_name)
                                                                          for d in candidates]
    return form
