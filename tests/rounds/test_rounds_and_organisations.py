"""Secretariat set-up: rounds (stages, quotas, weighted criteria) and organisations."""
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from honours.core import roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.organisations import services as organisations
from honours.organisations.models import Organisation
from honours.rounds import services
from honours.rounds.models import Round
from honours.rounds.services import CriterionRow, FieldRow, RoundData
from tests.conftest import login
from tests.factories import make_dossier, make_org, make_round, make_user


def round_data(**overrides) -> RoundData:
    values = dict(
        name="Trí thức Bắc Ninh tiêu biểu 2027", programme="honours", year=2027,
        nominations_open_at=datetime(2027, 3, 1, 8), nominations_close_at=datetime(2027, 6, 30, 17),
        review_close_at=datetime(2027, 8, 15, 17), council_date=date(2027, 9, 1),
        fields=[FieldRow("Y dược", 3), FieldRow("Giáo dục", 2)],
        criteria=[CriterionRow("Thành tích", Decimal(20), Decimal(60)), CriterionRow("Ứng dụng", Decimal(10), Decimal(40))],
    )
    values.update(overrides)
    return RoundData(**values)


def test_a_valid_round_is_saved_with_ordered_fields_and_criteria(app):
    round_ = services.save_round(None, round_data())
    assert [(f.name, f.quota, f.position) for f in round_.fields] == [("Y dược", 3, 0), ("Giáo dục", 2, 1)]
    assert sum(c.weight for c in round_.criteria) == 100


def test_every_problem_is_reported_at_once(app):
    data = round_data(
        nominations_close_at=datetime(2027, 2, 1), review_close_at=datetime(2027, 1, 1), council_date=date(2026, 12, 1),
        fields=[FieldRow("Y dược", -1), FieldRow("y dược", 2)],
        criteria=[CriterionRow("A", Decimal(0), Decimal(50)), CriterionRow("B", Decimal(10), Decimal(30))],
    )
    errors = services.validate(data)
    joined = " ".join(errors)
    for expected in ("Hạn đóng nhận hồ sơ phải sau", "Hạn chấm điểm phải sau", "Ngày họp hội đồng",
                     "Tên lĩnh vực bị trùng", "không được âm", "Điểm tối đa", "Tổng trọng số các tiêu chí phải bằng 100"):
        assert expected in joined, expected
    with pytest.raises(RuleViolation):
        services.save_round(None, data)
    assert db.session.scalar(select(Round.id)) is None


def test_a_round_needs_a_field(app):
    assert "ít nhất một lĩnh vực" in " ".join(services.validate(round_data(fields=[])))


def test_fields_in_use_cannot_be_removed_but_can_be_renamed(app):
    round_ = make_round()
    org = make_org()
    make_dossier(round_, org, make_user(roles.NOMINATOR, org))
    used, unused = round_.fields[0], round_.fields[1]
    keep_all_but_used = [FieldRow(f.name, f.quota, f.id) for f in round_.fields if f.id != used.id]
    with pytest.raises(RuleViolation, match="đã có hồ sơ"):
        services.save_round(None, round_data(fields=keep_all_but_used), round_)
    db.session.rollback()
    renamed = [FieldRow("Khoa học tự nhiên và công nghệ", 5, used.id)]
    services.save_round(None, round_data(fields=renamed), round_)
    assert [(f.id, f.name, f.quota) for f in round_.fields] == [(used.id, "Khoa học tự nhiên và công nghệ", 5)]
    assert unused.id not in {f.id for f in round_.fields}


def round_form(**overrides):
    data = {
        "name": "Trí thức Bắc Ninh tiêu biểu 2027", "programme": "honours", "year": "2027", "description": "",
        "nominations_open_at": "01/03/2027 08:00", "nominations_close_at": "30/06/2027 17:00",
        "review_close_at": "15/08/2027 17:00", "council_date": "01/09/2027", "reviewers_per_dossier": "3",
        "quorum_rule": "two_thirds", "approval_rule": "majority", "score_decimals": "1", "trim_extremes": "y",
        "deviation_flag_percent": "20",
        "fields-0-name": "Y dược", "fields-0-quota": "3", "fields-1-name": "Giáo dục", "fields-1-quota": "2",
        "criteria-0-name": "Thành tích", "criteria-0-max_points": "20", "criteria-0-weight": "70",
        "criteria-1-name": "Ứng dụng", "criteria-1-max_points": "10", "criteria-1-weight": "30",
    }
    data.update(overrides)
    return data


@pytest.fixture
def secretary_client(app):
    client = app.test_client()
    login(client, make_user(roles.SECRETARIAT))
    return client


def test_secretariat_creates_and_edits_a_round_over_http(secretary_client):
    created = secretary_client.post("/rounds/new", data=round_form())
    assert created.status_code == 302
    round_ = db.session.scalars(select(Round)).one()
    assert round_.nominations_close_at == datetime(2027, 6, 30, 17) and round_.council_date == date(2027, 9, 1)
    page = secretary_client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert "30/06/2027 17:00" in page and "Giáo dục" in page
    edit = round_form(**{"fields-0-id": str(round_.fields[0].id), "fields-1-id": str(round_.fields[1].id),
                         "fields-1-remove": "y", "fields-0-quota": "4"})
    assert secretary_client.post(f"/rounds/{round_.id}/edit", data=edit).status_code == 302
    db.session.expire_all()
    assert [(f.name, f.quota) for f in db.session.get(Round, round_.id).fields] == [("Y dược", 4)]


def test_bad_round_form_keeps_input_and_explains(secretary_client):
    response = secretary_client.post("/rounds/new", data=round_form(**{
        "nominations_close_at": "2027-06-30", "criteria-1-weight": "20"}))
    page = response.get_data(as_text=True)
    assert "Thời điểm không hợp lệ, vui lòng nhập theo dạng dd/mm/yyyy hh:mm." in page
    assert 'value="Trí thức Bắc Ninh tiêu biểu 2027"' in page
    response = secretary_client.post("/rounds/new", data=round_form(**{"criteria-1-weight": "20"}))
    assert "Tổng trọng số các tiêu chí phải bằng 100 (hiện là 90)" in response.get_data(as_text=True)
    assert db.session.scalar(select(Round.id)) is None


def test_add_row_buttons_save_nothing(secretary_client):
    response = secretary_client.post("/rounds/new", data=round_form(add_field="1"))
    assert 'name="fields-2-name"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Round.id)) is None


def test_organisations(app, secretary_client):
    secretary = make_user(roles.SECRETARIAT, email="org-setup@example.vn")
    org = organisations.save_organisation(secretary, {"name": "  Hội   Cựu giáo chức ", "org_type": "association",
                                           "nomination_limit": 2})
    assert org.name == "Hội Cựu giáo chức" and org.nomination_limit == 2
    with pytest.raises(RuleViolation, match="Đã có đơn vị"):
        organisations.save_organisation(secretary, {"name": "Hội Cựu giáo chức", "org_type": "institute"})
    with pytest.raises(RuleViolation, match="Loại đơn vị"):
        organisations.save_organisation(secretary, {"name": "Hội mới", "org_type": "club"})
    response = secretary_client.post("/organisations/new", data={
        "name": "Viện Nghiên cứu Kinh Bắc", "org_type": "institute", "email": "khong-phai-email",
        "nomination_limit": "-1"})
    page = response.get_data(as_text=True)
    assert "Địa chỉ email không hợp lệ." in page and "Giá trị ngoài khoảng cho phép." in page
    ok = secretary_client.post("/organisations/new", data={"name": "Viện Nghiên cứu Kinh Bắc", "org_type": "institute",
                                                            "email": "vien@example.vn", "nomination_limit": ""})
    assert ok.status_code == 302
    created = db.session.scalars(select(Organisation).where(Organisation.name == "Viện Nghiên cứu Kinh Bắc")).one()
    assert created.nomination_limit is None
    listing = secretary_client.get("/organisations/").get_data(as_text=True)
    assert "Viện Nghiên cứu Kinh Bắc" in listing and "Không giới hạn" in listing
