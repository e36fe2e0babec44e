"""Malformed requests get a clean 400 page, never a 500 from deep inside the database driver."""
from tests.conftest import login
from tests.factories import make_user


def test_a_nul_character_in_the_query_string_is_refused_cleanly(client):
    response = client.get("/vinh-danh?q=abc%00def")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.get_data(as_text=True)


def test_a_nul_character_in_a_secretariat_search_is_refused_cleanly(app, client):
    secretary = make_user("secretariat")
    login(client, secretary)
    response = client.get("/tri-thuc/?q=%00")
    assert response.status_code == 400
    assert client.get("/tri-thuc/?q=nguyen").status_code == 200
