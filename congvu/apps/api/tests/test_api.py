import pytest


def test_openapi_docs_are_served_locally(client, db):
    assert client.get("/api/openapi.json").status_code == 200
    page = client.get("/api/docs").content.decode()
    assert "cdn" not in page.lower()


def test_deadline_counts_working_days_across_tet(client, calendar_vn):
    response = client.post(
        "/api/v1/calendar/deadline",
        {"start": "2025-01-24T16:00:00+07:00", "working_days": 3},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["due"] == "2025-02-05T16:00:00+07:00"
    assert any("Tết Nguyên đán" in line for line in body["explanation"])


def test_deadline_refuses_a_moment_without_offset(client, calendar_vn):
    response = client.post(
        "/api/v1/calendar/deadline",
        {"start": "2025-01-24T16:00:00", "working_days": 3},
        content_type="application/json",
    )
    assert response.status_code == 422


def test_deadline_needs_exactly_one_amount(client, calendar_vn):
    response = client.post(
        "/api/v1/calendar/deadline",
        {"start": "2025-01-24T16:00:00+07:00"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "amount_required"


def test_calendar_year_lists_exceptions(client, calendar_vn):
    body = client.get("/api/v1/calendar/2026").json()
    days = {(e["day"], e["working"]) for e in body["exceptions"]}
    assert ("2026-11-24", False) in days and ("2026-08-22", True) in days
    assert body["working_days"] == 249


def test_calendar_year_outside_coverage_is_a_clear_error(client, calendar_vn):
    response = client.get("/api/v1/calendar/1990")
    assert response.status_code == 400
    assert "1990" in response.json()["message"]


def test_unknown_calendar_is_a_clear_error(client, calendar_vn):
    response = client.get("/api/v1/calendar/2026?calendar=NOPE")
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_calendar"


def test_units_need_login(client, cast):
    assert client.get("/api/v1/units").status_code == 401


@pytest.mark.parametrize(("who", "count"), [("alice", 2), ("carol", 2), ("bob", 7), ("citizen", 0)])
def test_units_are_scoped(client, cast, who, count):
    client.force_login(getattr(cast.users, who))
    assert len(client.get("/api/v1/units").json()) == count


def test_unit_outside_scope_is_not_found(client, cast):
    client.force_login(cast.users.alice)
    assert client.get("/api/v1/units/D1A").json()["calendar"] == "VN"
    assert client.get("/api/v1/units/C1").status_code == 404


def test_official_history(client, cast):
    client.force_login(cast.users.bob)
    body = client.get("/api/v1/officials/ERIN").json()
    assert [p["unit"] for p in body["positions"]] == ["C2", "D1"]


def test_deadline_refuses_a_number_as_start(client, calendar_vn):
    response = client.post(
        "/api/v1/calendar/deadline",
        {"start": 0, "working_days": 3},
        content_type="application/json",
    )
    assert response.status_code == 422


def test_unit_list_query_count_does_not_grow_with_units(
    client, cast, django_assert_max_num_queries
):
    client.force_login(cast.users.bob)
    with django_assert_max_num_queries(6):
        assert len(client.get("/api/v1/units").json()) == 7
