"""The markup rules the Nu Html Checker and axe-core hold every page to, at the form level: hidden inputs carry
no id (a page with many forms repeated `csrf_token` and `version`), a required <select> whose first option is not
empty is not marked `required` (HTML forbids it) but aria-required, and one of several forms of a kind gets ids
of its own with its labels following."""
import re

import pytest
from wtforms import SelectField, StringField

from honours.core.forms import Form, VersionForm, required, with_id_prefix
from honours.talent.forms import OutcomeForm


@pytest.fixture
def request_context(database_url, schema, tmp_path):
    from honours import create_app
    from tests.conftest import make_config

    app = create_app(make_config(database_url, str(tmp_path), WTF_CSRF_ENABLED=True))
    with app.test_request_context("/"):
        yield


class _RoundChoice(Form):
    round_id = SelectField("Đợt", coerce=int, choices=[(1, "Đợt 1"), (2, "Đợt 2")], validators=[required()])
    placeholder_first = SelectField("Kết quả", choices=[("", "— Chọn —"), ("a", "A")], validators=[required()])
    name = StringField("Tên")


def test_hidden_inputs_have_no_id_so_two_forms_on_a_page_repeat_none(request_context):
    markup = "".join(f"{form.csrf_token}{form.version}" for form in (VersionForm(version=1), VersionForm(version=2)))
    assert markup.count('name="csrf_token"') == 2 and markup.count('name="version"') == 2
    assert " id=" not in markup


def test_a_required_select_needs_an_empty_first_option_to_say_required(request_context):
    form = _RoundChoice()
    no_placeholder = str(form.round_id)
    assert 'aria-required="true"' in no_placeholder and not re.search(r"\srequired[\s>]", no_placeholder)
    with_placeholder = str(form.placeholder_first)
    assert re.search(r"\srequired[\s>]", with_placeholder) and "aria-required" not in with_placeholder


def test_the_outcome_of_a_match_is_never_preselected(request_context):
    form = OutcomeForm(formdata=None)
    assert re.search(r'<option (selected )?value="">', str(form.outcome))
    assert "selected" not in str(form.outcome)


def test_an_id_prefix_gives_each_form_its_own_ids_and_labels(request_context):
    first, second = (with_id_prefix(OutcomeForm(formdata=None), f"match-{n}-") for n in (1, 2))
    for number, form in ((1, first), (2, second)):
        assert f'id="match-{number}-outcome"' in str(form.outcome)
        assert f'for="match-{number}-outcome"' in str(form.outcome.label)
        assert 'name="outcome"' in str(form.outcome)  # what the server reads is unchanged
        assert f'id="match-{number}-note"' in str(form.note) and f'for="match-{number}-note"' in str(form.note.label)
