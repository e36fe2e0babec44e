from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.widgets import HiddenInput

from honours.core.forms import Form, RowForm, max_length, optional, posted_version, required, required_input

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
