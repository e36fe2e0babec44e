from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField

from honours.core.forms import Form, max_length, optional, required_input
from honours.core.profile import ProfileForm
from honours.core.reference import ACADEMIC_TITLES, AGE_BANDS, DEGREES, ETHNICITIES, GENDERS

from .services import EDITABLE, LABELS, MINORITIES, NO, NO_TITLE, YES, PersonData, PersonFilter

ANY = ("", _l("Tất cả"))


class SearchForm(Form):
    class Meta:
        csrf = False  # a GET search form

    q = StringField(_l("Tìm theo tên"), validators=[optional(), max_length(200)])
    field = SelectField(_l("Lĩnh vực"), validators=[optional()])
    degree = SelectField(_l("Học vị"), choices=[ANY, *DEGREES.items()], validators=[optional()])
    academic_title = SelectField(_l("Học hàm"), choices=[
        ANY, *((key, label) for key, label in ACADEMIC_TITLES.items() if key), (NO_TITLE, _l("Chưa có học hàm")),
    ], validators=[optional()])
    organisation_id = SelectField(_l("Đơn vị đề cử, tiến cử"), coerce=int, validators=[optional()])
    gender = SelectField(_l("Giới tính"), choices=[ANY, *GENDERS.items()], validators=[optional()])
    ethnicity = SelectField(_l("Dân tộc"), choices=[
        ANY, (MINORITIES, _l("Các dân tộc thiểu số")), *((e, e) for e in ETHNICITIES),
    ], validators=[optional()])
    age_band = SelectField(_l("Độ tuổi"), choices=[ANY, *((key, band[0]) for key, band in AGE_BANDS.items())],
                           validators=[optional()])
    honoured = SelectField(_l("Đã được tôn vinh"), choices=[ANY, (YES, _l("Có")), (NO, _l("Chưa"))],
                           validators=[optional()])
    overseas = SelectField(_l("Ở nước ngoài"), choices=[ANY, (YES, _l("Có")), (NO, _l("Không"))],
                           validators=[optional()])

    def criteria(self) -> PersonFilter:
        """The filters as given; a value the form refused (tampered URL) is dropped rather than half-applied."""
        def value(name):
            field = self[name]
            return "" if field.errors or field.data is None else field.data

        return PersonFilter(
            q=value("q"), field=value("field"), degree=value("degree"), academic_title=value("academic_title"),
            organisation_id=value("organisation_id") or None, gender=value("gender"), ethnicity=value("ethnicity"),
            age_band=value("age_band"), honoured=value("honoured"), overseas=value("overseas"),
        )


class PersonForm(ProfileForm):
    version = HiddenField()
    # A record may not know the degree yet (what a nomination or referral brought).
    degree = SelectField(LABELS["degree"], choices=[("", _l("Chưa rõ")), *DEGREES.items()])
    field = StringField(LABELS["field"], validators=[optional(), max_length(200)],
                        render_kw={"list": "field-options", "autocomplete": "off"})
    expertise = TextAreaField(LABELS["expertise"], validators=[optional(), max_length(5000)])
    consent_national_db = BooleanField(LABELS["consent_national_db"])
    citizen_id = StringField(LABELS["citizen_id"], validators=[optional(), max_length(20)],
                             render_kw={"inputmode": "numeric", "autocomplete": "off"})

    def to_data(self) -> PersonData:
        return PersonData(**self.values(EDITABLE))


class MergeForm(Form):
    survivor_id = RadioField(_l("Hồ sơ được giữ lại"), coerce=int,
                             validators=[required_input()])
    version_a = HiddenField()
    version_b = HiddenField()


class ProposalDecisionForm(Form):
    """Accept or reject a proposed change (or all of a person's): the record's version the page showed."""

    decision = HiddenField()
    version = HiddenField()


class ExportForm(Form):
    """The national export's buttons: each posts its format (name="format")."""

    format = SelectField(choices=[("xlsx", "Excel"), ("csv", "CSV")], validators=[required_input()])
