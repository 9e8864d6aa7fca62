"""The notifications page: only one's own notices, the unread count in the top navigation,
marking read with htmx or a plain form; another user's notice is a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from congvu.apps.alerts.models import Notification
from congvu.apps.alerts.services import reminders_send
from congvu.apps.alerts.tests.conftest import at, ingest, received

pytestmark = pytest.mark.django_db


@pytest.fixture
def reminded(mailed):
    """gina and hung each have two unread reminders (H-1, H-2 due Thursday 08:00)."""
    ingest(received("H-1") + received("H-2"))
    reminders_send(now=at("2026-10-07T09:00"))
    return mailed


def login(client, user, cast) -> None:
    assert client.login(username=user.username, password=cast.password)


def own(username: str):
    return Notification.objects.filter(official__user__username=username).order_by("pk")


def test_the_page_needs_a_login(client):
    r = client.get(reverse("alerts:list"))
    assert r.status_code == 302 and r.url.startswith(reverse("login"))


def test_the_page_lists_ones_own_notices_and_the_navigation_counts_the_unread(
    client, reminded, django_assert_max_num_queries
):
    login(client, reminded.gina, reminded.cast)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("alerts:list")).content.decode()
    assert page.count('class="card notice unread"') == 2
    assert "Sắp đến hạn: Hồ sơ H-1 (Đăng ký khai sinh)" in page
    assert "08/10/2026 08:00" in page
    assert reverse("dossiers:detail", args=["local", "H-1"]) in page
    assert 'id="nav-notifications"' in page and '>2<span class="sr-only"> chưa đọc' in page

    home = client.get(reverse("procedures:catalog")).content.decode()
    assert '>2<span class="sr-only"> chưa đọc' in home  # on every page of the site


def test_marking_read_with_htmx_swaps_the_notice_and_the_count(client, reminded):
    login(client, reminded.gina, reminded.cast)
    first = own("gina").first()
    r = client.post(reverse("alerts:mark_read", args=[first.pk]), HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    body = r.content.decode()
    assert f'id="notice-{first.pk}"' in body and "đã đọc lúc" in body
    assert 'hx-swap-oob="true"' in body and '>1<span class="sr-only"> chưa đọc' in body
    first.refresh_from_db()
    assert first.read_at is not None
    assert own("hung").filter(read_at__isnull=True).count() == 2  # hung's are his own


def test_marking_read_without_javascript_and_all_at_once(client, reminded):
    login(client, reminded.gina, reminded.cast)
    first = own("gina").first()
    r = client.post(reverse("alerts:mark_read", args=[first.pk]))
    assert r.status_code == 302 and r.url == reverse("alerts:list")
    unread = client.get(reverse("alerts:list") + "?chua-doc=1").content.decode()
    assert unread.count('class="card notice unread"') == 1

    client.post(reverse("alerts:mark_all_read"))
    assert not own("gina").filter(read_at__isnull=True).exists()
    assert own("hung").filter(read_at__isnull=True).count() == 2
    page = client.get(reverse("alerts:list")).content.decode()
    assert "chưa đọc</span>" not in page


def test_another_users_notice_is_not_found(client, reminded):
    gina_first = own("gina").first()
    login(client, reminded.hung, reminded.cast)
    r = client.post(reverse("alerts:mark_read", args=[gina_first.pk]), HTTP_HX_REQUEST="true")
    assert r.status_code == 404
    gina_first.refresh_from_db()
    assert gina_first.read_at is None
    page = client.get(reverse("alerts:list")).content.decode()
    assert f'id="notice-{gina_first.pk}"' not in page
    assert page.count('class="card notice unread"') == 2  # hung's own two


def test_a_user_who_is_no_official_has_an_empty_page(client, reminded):
    login(client, reminded.cast.users.citizen, reminded.cast)
    page = client.get(reverse("alerts:list")).content.decode()
    assert "Chưa có thông báo nào." in page
    gina_first = own("gina").first()
    assert client.post(reverse("alerts:mark_read", args=[gina_first.pk])).status_code == 404


def test_the_links_of_finding_and_digest_notices_open_for_their_recipients(
    client, mailed, django_capture_on_commit_callbacks
):
    from congvu.apps.alerts.services import digests_send
    from congvu.apps.alerts.tests.test_services import sweep

    ingest(received("H-1"))
    sweep("2026-10-08T09:00", django_capture_on_commit_callbacks)
    digests_send(now=at("2026-10-09T07:30"))
    login(client, mailed.hung, mailed.cast)
    page = client.get(reverse("alerts:list")).content.decode()
    overdue = own("hung").get(kind="overdue")
    digest = own("hung").get(kind="digest")
    assert overdue.link == reverse("supervision:finding", args=[overdue.finding_id])
    assert digest.link == reverse("dashboards:unit", args=["C1"])
    assert f'href="{overdue.link}"' in page and f'href="{digest.link}"' in page
    for link in (overdue.link, digest.link, reverse("dossiers:detail", args=["local", "H-1"])):
        assert client.get(link).status_code == 200
