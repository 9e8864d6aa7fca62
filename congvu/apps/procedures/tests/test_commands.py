import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from congvu.apps.procedures.models import Procedure

from .conftest import dumps, v1


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("procedures", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_then_export_to_a_file_and_to_stdout(cast, tmp_path):
    source = tmp_path / "catalog.json"
    source.write_text(dumps(v1()), encoding="utf-8")
    out, err = run("import", str(source))
    assert "Thủ tục: 1 thêm mới, 0 cập nhật, 0 không đổi, 0 bị từ chối." in out and not err
    target = tmp_path / "out.json"
    out, _ = run("export", str(target))
    assert f"Đã xuất 1 thủ tục vào {target}." in out
    assert json.loads(target.read_text(encoding="utf-8"))[0]["code"] == "1.001193"
    printed, _ = run("export", "--format", "csv")
    assert printed.startswith("\ufeffrecord,procedure,name")
    csv_file = tmp_path / "catalog.csv"
    run("export", "-o", str(csv_file))
    out, _ = run("import", str(csv_file), "--lang", "en")
    assert "Procedures: 0 created, 0 updated, 1 unchanged, 0 rejected." in out


def test_a_bad_file_fails_with_line_numbered_messages_and_stores_nothing(cast, tmp_path):
    source = tmp_path / "catalog.json"
    source.write_text(dumps(v1(limit=False)), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("procedures", "import", str(source), "--lang", "en", stdout=out, stderr=err)
    assert (
        "Line 2 (procedure 1.001193), key “time_limit”: the time limit is missing" in err.getvalue()
    )
    assert "Nothing was imported" in out.getvalue()
    assert not Procedure.objects.exists()


def test_format_errors_and_missing_files(cast, tmp_path):
    with pytest.raises(CommandError, match="Không nhận ra định dạng “xlsx”"):
        run("import", str(tmp_path / "catalog.xlsx"))
    with pytest.raises(CommandError, match="Không đọc được tệp"):
        run("import", str(tmp_path / "missing.json"))
    with pytest.raises(CommandError, match="Cannot read"):
        run("import", str(tmp_path / "missing.csv"), "--lang", "en")
