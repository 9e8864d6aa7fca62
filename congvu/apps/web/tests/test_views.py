import pytest
from django.urls import reverse


@pytest.fixture
def login(client, cast):
    def as_user(name):
        client.force_login(getattr(cast.users, name))
        return client

    return as_user


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("web:unit_tree"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_with_wrong_password_says_why_in_vietnamese(client, cast):
    response = client.post(reverse("login"), {"username": "alice", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_login_then_home(client, cast):
    response = client.post(
        reverse("login"), {"username": "alice", "password": cast.password}, follow=True
    )
    page = response.content.decode()
    assert "Xin chào, Nguyễn Thị An" in page
    assert "Sở Tư pháp" in page


def test_tree_shows_only_the_users_roots(login):
    page = login("carol").get(reverse("web:unit_tree")).content.decode()
    assert "Xã Hòa Phú" in page
    assert "Sở Tư pháp" not in page


@pytest.mark.parametrize(
    ("who", "code", "status"),
    [
        ("alice", "D1A", 200),
        ("alice", "C1", 404),  # another unit's page, reached by editing the URL
        ("carol", "D1", 404),
        ("erin", "D1", 404),  # a former post gives no access
        ("erin", "C2", 200),
        ("dave", "C1H", 200),
        ("bob", "D1A", 200),
        ("citizen", "P", 404),
    ],
)
def test_unit_page_is_scoped(login, who, code, status):
    assert login(who).get(reverse("web:unit_detail", args=[code])).status_code == status


def test_children_partial_is_scoped_and_lists_children(login):
    client = login("bob")
    page = client.get(reverse("web:unit_children", args=["C1"])).content.decode()
    assert "Thôn Đông" in page
    assert login("alice").get(reverse("web:unit_children", args=["C1"])).status_code == 404


def test_official_page_shows_positions_over_time(login):
    page = login("bob").get(reverse("web:official_detail", args=["ERIN"])).content.decode()
    assert "31/12/2024" in page and "01/01/2025" in page
    assert "Sở Tư pháp" in page and "Xã Tân Lập" in page


def test_official_page_is_scoped(login):
    assert login("carol").get(reverse("web:official_detail", args=["ALICE"])).status_code == 404


def test_unit_tree_query_count_is_bounded(login, django_assert_max_num_queries):
    client = login("bob")
    with django_assert_max_num_queries(12):
        client.get(reverse("web:unit_tree"))


def test_calendar_year_lists_the_2026_exceptions(client, calendar_vn):
    page = client.get(reverse("web:calendar_year", args=[2026])).content.decode()
    for day in [
        "16/02/2026",
        "20/02/2026",
        "27/04/2026",
        "31/08/2026",
        "02/09/2026",
        "24/11/2026",
        "22/08/2026",
    ]:
        assert day in page, day
    assert "Ngày Văn hóa Việt Nam" in page


def test_calendar_year_outside_coverage_says_so(client, calendar_vn):
    response = client.get(reverse("web:calendar_year", args=[1990]))
    assert response.status_code == 404
    assert "1990" in response.content.decode()


def test_english_is_switchable(client, cast):
    client.force_login(cast.users.alice)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("web:home")).content.decode()
    assert "Hello, Nguyễn Thị An" in page
