"""The two doors into the ledger besides the screens: the import command and the REST API."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from congvu.apps.ledger.models import Event, Item
from congvu.apps.ledger.services import source_system_create
from congvu.apps.ledger.tests.factories import feedback

pytestmark = pytest.mark.django_db


def _write(tmp_path, lines, name="events.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_command_reports_and_is_idempotent(calendar_vn, tmp_path, capsys):
    path = _write(tmp_path, feedback("A-1") + feedback("A-2", "2026-10-06"))
    call_command("events", "import", str(path), "--no-progress")
    out = capsys.readouterr().out
    assert "Đã ghi: 10" in out and "Mục mới: 2" in out
    call_command("events", "import", str(path), "--no-progress", "--lang", "en")
    out = capsys.readouterr().out
    assert "Appended: 0" in out and "Duplicates (skipped): 10" in out
    assert Event.objects.count() == 10


def test_import_command_lists_rejected_lines_and_fails(calendar_vn, tmp_path, capsys):
    lines = feedback("A-1")
    lines[1] = '{"item": "A-1"'
    path = _write(tmp_path, lines)
    report = tmp_path / "report.json"
    with pytest.raises(CommandError) as e:
        call_command("events", "import", str(path), "--no-progress", "--report", str(report))
    assert e.value.returncode == 2
    err = capsys.readouterr().err
    assert "dòng 2" in err.lower()
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["rejected"] == 1 and data["rejections"][0]["line"] == 2


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("events", "import", str(tmp_path / "none.jsonl"))


def test_export_command_round_trip(calendar_vn, tmp_path):
    path = _write(tmp_path, feedback("A-1"))
    call_command("events", "import", str(path), "--no-progress")
    out = tmp_path / "out.jsonl"
    call_command("events", "export", str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5 and json.loads(lines[0])["type"] == "received"


def test_verify_command_exit_codes(calendar_vn, tmp_path, capsys):
    path = _write(tmp_path, feedback("A-1"))
    call_command("events", "import", str(path), "--no-progress")
    call_command("ledger", "verify")
    assert "Chuỗi băm khớp" in capsys.readouterr().out
    from congvu.apps.ledger.tests.test_ingest import _tamper

    _tamper("UPDATE ledger_event SET unit = 'X99' WHERE seq = 2")
    with pytest.raises(CommandError) as e:
        call_command("ledger", "verify", "--lang", "en")
    assert e.value.returncode == 3
    assert "Item A-1 (local), event seq 2" in capsys.readouterr().err


def test_refresh_rebuilds_summaries(calendar_vn, tmp_path):
    path = _write(tmp_path, feedback("A-1"))
    call_command("events", "import", str(path), "--no-progress")
    Item.objects.update(status="open", rating=None)
    call_command("ledger", "refresh")
    item = Item.objects.get()
    assert item.status == "resolved" and item.rating == 5


# --- REST ------------------------------------------------------------------------------------


@pytest.fixture
def token(db):
    _, token = source_system_create(code="dvc", name="Hệ thống thông tin giải quyết TTHC tỉnh")
    return token


def _post(client, body: str, token: str | None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post("/api/v1/events", body, content_type="application/x-ndjson", **headers)


def _from(lines, source="dvc"):
    out = []
    for text in lines:
        obj = json.loads(text)
        obj["source"] = source
        out.append(json.dumps(obj, ensure_ascii=False))
    return "\n".join(out) + "\n"


def test_api_ingests_with_a_source_token_and_is_idempotent(client, calendar_vn, token):
    body = _from(feedback("A-1"))
    r = _post(client, body, token)
    assert r.status_code == 200, r.content
    assert r.json()["appended"] == 5
    r = _post(client, body, token)
    assert r.status_code == 200 and r.json()["duplicates"] == 5
    assert Item.objects.get().source == "dvc"


def test_api_refuses_without_token_and_other_sources(client, calendar_vn, token):
    assert _post(client, _from(feedback("A-1")), None).status_code == 401
    assert _post(client, _from(feedback("A-1")), "wrong").status_code == 401
    r = _post(client, _from(feedback("A-1"), source="other"), token)
    assert r.status_code == 422
    body = r.json()
    assert body["rejected"] == 5 and body["rejections"][0]["code"] == "ledger_source_mismatch"
    assert body["rejections"][0]["line"] == 1
    assert not Item.objects.exists()


def test_api_reports_bad_lines_in_english(client, calendar_vn, token):
    body = _from(feedback("A-1")) + "{oops\n"
    r = _post(client, body, token)
    assert r.status_code == 422
    client.cookies["django_language"] = "en"
    r = client.post(
        "/api/v1/events",
        "{oops\n",
        content_type="application/x-ndjson",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Line 1" in r.json()["rejections"][0]["message"]


def test_openapi_documents_the_endpoint(client):
    schema = client.get("/api/openapi.json").json()
    op = schema["paths"]["/api/v1/events"]["post"]
    assert "application/x-ndjson" in op["requestBody"]["content"]
    assert op["security"]
