"""The dossier screens over HTTP: scopes, actions, warnings, and the citizen's lookup."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from congvu.apps.dossiers import services as s
from congvu.apps.ledger.models import Item

pytestmark = pytest.mark.django_db
VN = dt.timezone(dt.timedelta(hours=7))


def _login(client, user, password):
    assert client.login(username=user.username, password=password)


def _receive_via_screen(client, commune) -> Item:
    _login(client, commune.cast.users.carol, commune.cast.password)
    r = client.post(
        reverse("dossiers:receive"),
        {
            "agency": "C1",
            "procedure": "1.001193",
            "channel": "direct",
            "name": "Nguyễn Thị Hằng",
            "documents": "Tờ khai đăng ký khai sinh\nGiấy chứng sinh",
        },
    )
    item = Item.objects.get()
    assert r.status_code == 302 and r.url == reverse("dossiers:detail", args=["local", item.code])
    return item


def test_receive_screen_and_dossier_page(client, commune, monday):
    item = _receive_via_screen(client, commune)
    page = client.get(reverse("dossiers:detail", args=["local", item.code])).content.decode()
    assert "Đăng ký khai sinh" in page and "08:00 08/10/2026" in page
    assert "Thời hạn giải quyết của thủ tục: 3 ngày làm việc" in page
    assert "Cấp giấy hẹn trả kết quả" in page  # the timeline
    docs = client.get(reverse("dossiers:receive_documents"), {"procedure": "1.001193"})
    assert docs.content.decode() == "Tờ khai đăng ký khai sinh\nGiấy chứng sinh"


def test_the_receive_screen_needs_a_counter_post(client, commune):
    _login(client, commune.gina, commune.cast.password)
    assert client.get(reverse("dossiers:receive")).status_code == 404


def test_queue_sorted_and_coloured(client, commune, monday):
    first = s.dossier_receive(
        agency="C1",
        actor="CAROL",
        procedure="1.001193",
        channel="direct",
        applicant={"name": "A"},
        documents=["x"],
    )
    monday.move_to(dt.datetime(2026, 10, 7, 10, 0, tzinfo=VN))
    s.dossier_receive(
        agency="C1",
        actor="CAROL",
        procedure="1.001193",
        channel="online",
        applicant={"name": "B"},
        documents=["x"],
    )
    _login(client, commune.hung, commune.cast.password)
    page = client.get(reverse("dossiers:queue"), {"pham-vi": "don-vi"}).content.decode()
    assert page.index(first.code) < page.index("C1-261007-0001")
    assert 'class="row-soon"' in page  # the first is due Thursday 08:00: under a day left
    monday.move_to(dt.datetime(2026, 10, 8, 9, 0, tzinfo=VN))
    page = client.get(reverse("dossiers:queue"), {"pham-vi": "don-vi"}).content.decode()
    assert 'class="row-overdue"' in page and "Quá hạn 1 giờ làm việc" in page


def test_other_communes_cannot_see_the_dossier(client, commune, monday):
    item = _receive_via_screen(client, commune)
    _login(client, commune.cast.users.erin, commune.cast.password)  # posted in C2
    assert client.get(reverse("dossiers:detail", args=["local", item.code])).status_code == 404
    _login(client, commune.cast.users.dave, commune.cast.password)  # Home Affairs: all
    assert client.get(reverse("dossiers:detail", args=["local", item.code])).status_code == 200


def test_actions_through_the_screen(client, commune, monday):
    item = _receive_via_screen(client, commune)
    act = lambda slug, data: client.post(  # noqa: E731
        reverse("dossiers:act", args=["local", item.code, slug]), data
    )
    assert act("giao", {"official": "GINA", "step": "review"}).status_code == 302
    r = act("yeu-cau-bo-sung", {"documents": "Giấy chứng sinh", "reason": "Mờ"})
    assert r.status_code == 302
    act("nhan-bo-sung", {})
    r = act("yeu-cau-bo-sung", {"documents": "CCCD", "reason": "Thiếu"})
    assert r.status_code == 400 and "trái quy định" in r.content.decode()
    r = act("yeu-cau-bo-sung", {"documents": "CCCD", "reason": "Thiếu", "confirm_repeat": "on"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.supplement_count == 2 and item.status == "paused"
    # The apology is a head's: carol (one-stop) is not offered it and cannot force it.
    r = act("xin-loi", {"new_due": "2026-10-12T17:00", "reason": "Chờ"})
    assert r.status_code == 302 and Item.objects.get().apology_count == 0


def test_lookup_is_neutral_and_rate_limited(client, commune, monday):
    item = _receive_via_screen(client, commune)
    client.logout()
    url = reverse("dossiers:lookup")
    wrong_secret = client.post(url, {"code": item.code, "secret": "ZZZZZZ"}).content.decode()
    wrong_code = client.post(url, {"code": "C1-000000-0000", "secret": item.secret}).content
    message = "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu đã nhập."
    assert message in wrong_secret and message in wrong_code.decode()
    r = client.post(url, {"code": item.code, "secret": item.secret.lower()})
    assert r.status_code == 302
    page = client.get(r.url).content.decode()
    assert "Đang giải quyết" in page and "08:00 08/10/2026" in page
    assert "Gửi đánh giá" not in page
    for _ in range(8):
        client.post(url, {"code": item.code, "secret": "ZZZZZZ"})
    assert client.post(url, {"code": item.code, "secret": item.secret}).status_code == 429


def test_citizen_rates_after_return(client, commune, monday):
    item = _receive_via_screen(client, commune)
    s.dossier_resolve(item, actor="HUNG", result="approved")
    item.refresh_from_db()
    s.dossier_return(item, actor="CAROL")
    client.logout()
    client.post(reverse("dossiers:lookup"), {"code": item.code, "secret": item.secret})
    result = reverse("dossiers:lookup_result")
    assert "Gửi đánh giá" in client.get(result).content.decode()
    r = client.post(result, {"score": "4", "text": "Nhanh"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.rating == 4
    assert "Gửi đánh giá" not in client.get(result).content.decode()


def test_print_and_tracking_book(client, commune, monday):
    item = _receive_via_screen(client, commune)
    r = client.get(reverse("dossiers:print", args=["local", item.code, "slip"]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert (
        client.get(reverse("dossiers:print", args=["local", item.code, "apology"])).status_code
        == 404
    )
    book = reverse("dossiers:tracking_book", args=["C1"])
    r = client.get(book, {"tu": "01/10/2026", "den": "05/10/2026"})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert client.get(book, {"tu": "01/01/2026", "den": "05/10/2026"}).status_code == 404
    assert client.get(reverse("dossiers:tracking_book", args=["C2"])).status_code == 404
