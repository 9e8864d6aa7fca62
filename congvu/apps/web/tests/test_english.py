"""The new screens in English (language chosen through /i18n/setlang/, as the switcher in the
header does): page titles, headings, table headers and cells, labels, buttons, choices and
figure definitions carry no Vietnamese. Data is Vietnamese by nature (unit, official and
procedure names, the notices' texts, legal references) and is left out of the check."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congvu.apps.alerts.models import Notification
from congvu.apps.alerts.services import findings_notify
from congvu.apps.dashboards.tests.scenario import NOW, load_week
from congvu.apps.organisations.models import Official, Position, Unit
from congvu.apps.procedures.models import Procedure
from congvu.apps.supervision.models import Finding
from congvu.apps.supervision.services import justification_submit

pytestmark = pytest.mark.django_db

#: Letters that only Vietnamese writes (tone marks on vowels, ă â ê ô ơ ư, đ).
VIETNAMESE = re.compile("[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹăâêôơưđ]", re.IGNORECASE)
#: Elements whose text is the page's chrome (or carries it beside data removed below).
CHROME = {"title", "h1", "h2", "h3", "th", "td", "label", "button", "legend", "summary", "dt"}
VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Chrome(HTMLParser):
    """Collects the text of chrome elements, skipping the notices' own words and the
    language switcher (each language is named in itself there)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.texts: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def _wanted(self) -> str | None:
        where = None
        for tag, attrs in self.stack:
            classes = attrs.get("class", "").split()
            if tag == "article" or attrs.get("id") == "lang-select":
                return None
            in_nav = any(t == "nav" for t, _ in self.stack)
            link = tag == "a" and ("button" in classes or in_nav)
            if tag in CHROME or tag == "option" or "definition" in classes or link:
                where = tag
        return where

    def handle_data(self, data):
        where = self._wanted()
        if where and data.strip():
            self.texts.append((where, data.strip()))


def vietnamese_chrome(html: str, data: list[str]) -> list[tuple[str, str]]:
    parser = Chrome()
    parser.feed(html)
    found = []
    for where, text in parser.texts:
        for name in data:
            text = text.replace(name, "")
        if VIETNAMESE.search(text):
            found.append((where, text.strip()))
    return found


@pytest.fixture
def week(commune, settings, tmp_path):
    """The dashboards' week (two communes, 11 dossiers, their findings), a justification by
    hung (head of C1) waiting for review, and the notices of the fresh findings."""
    settings.MEDIA_ROOT = tmp_path / "media"
    load_week()
    overdue = Finding.objects.get(item__code="C1-06", rule="OVERDUE")
    with time_machine.travel(NOW, tick=False):
        justification_submit(
            finding=overdue,
            actor=commune.hung,
            reason="Người nộp hẹn bổ sung giấy tờ nhưng chưa đến.",
            document=SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf"),
        )
        findings_notify(Finding.objects.values_list("pk", flat=True), now=NOW)
    assert Notification.objects.filter(official__code="HUNG").exists()
    return commune


@pytest.fixture
def english(client):
    """A client that chose English with the header's switcher, logged in as ``user``."""

    def as_user(user):
        client.force_login(user)
        response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
        assert response.status_code == 302
        return client

    return as_user


def data_names() -> list[str]:
    names = [
        *Unit.objects.values_list("name", flat=True),
        *Official.objects.values_list("full_name", flat=True),
        *Position.objects.values_list("title", flat=True),
        *Procedure.objects.values_list("name", flat=True),
        "CôngVụ",
    ]
    return sorted(set(names), key=len, reverse=True)  # "Xã Hòa Phú" before "Hòa Phú"


def test_the_new_pages_speak_english_to_a_supervisor(english, week):
    overdue = Finding.objects.get(item__code="C1-06", rule="OVERDUE")
    pages = {
        reverse("dashboards:overview"): "Province overview",
        reverse("dashboards:league"): "League table of units",
        reverse("dashboards:unit", args=["C1"]): "Dossiers held, by official",
        reverse("dashboards:official", args=["GINA"]): "Dossiers held",
        reverse("supervision:findings"): "Filter findings",
        reverse("supervision:finding", args=[overdue.pk]): "Review the justification",
        reverse("alerts:list"): "No notifications yet.",
    }
    c = english(week.cast.users.dave)
    names = data_names()
    with time_machine.travel(NOW, tick=False):
        for url, expected in pages.items():
            response = c.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert '<html lang="en">' in html and expected in html, url
            assert vietnamese_chrome(html, names) == [], url


def test_a_head_of_unit_reads_notices_and_the_justification_form_in_english(english, week):
    other = Finding.objects.filter(unit="C1", review="").exclude(rule="OVERDUE").first()
    c = english(week.hung)
    names = data_names()
    with time_machine.travel(NOW, tick=False):
        for url, expected in {
            reverse("alerts:list"): "Mark as read",
            reverse("supervision:finding", args=[other.pk]): "Justify (head of unit)",
        }.items():
            html = c.get(url).content.decode()
            assert expected in html, url
            assert vietnamese_chrome(html, names) == [], url


def test_the_check_sees_vietnamese_chrome_and_leaves_data_out(client, week):
    html = (
        "<title>Bảng xếp hạng · CôngVụ</title><h1>Xã Hòa Phú</h1>"
        "<article><h2>Quá hạn</h2></article>"
    )
    assert vietnamese_chrome(html, ["Xã Hòa Phú", "CôngVụ"]) == [("title", "Bảng xếp hạng ·")]
    client.force_login(week.cast.users.dave)
    with time_machine.travel(NOW, tick=False):
        html = client.get(reverse("dashboards:league")).content.decode()  # Vietnamese
    found = dict(vietnamese_chrome(html, data_names()))
    assert found["title"] == "Bảng xếp hạng đơn vị ·" and "th" in found and "option" in found
