import pytest

from congvu.domain.organisation import MESSAGES, ImportReport, RowError, Tally


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_error_code_has_both_languages_and_vietnamese_diacritics(code):
    vi, en = MESSAGES[code]
    assert vi and en and vi != en
    assert any(ord(char) > 127 for char in vi)


def test_a_file_level_error_has_no_line():
    error = RowError(0, "", "", "missing_column", {"value": "code"}, "unit")
    assert error.message() == "Tệp: thiếu cột bắt buộc “code” ở dòng tiêu đề."
    assert error.as_dict("en")["message"] == "File: the header lacks the required column “code”."


def test_the_summary_says_nothing_was_imported():
    report = ImportReport(kind="units", items=Tally(rejected=2), written=False)
    report.errors = [RowError(3, "A", "name", "required"), RowError(5, "B", "name", "required")]
    assert report.summary() == [
        "Đơn vị: 0 thêm mới, 0 cập nhật, 0 không đổi, 2 bị từ chối.",
        "Chưa nhập gì: tệp có 2 lỗi. Sửa rồi nhập lại, hoặc chỉ nhập các dòng đúng bằng --partial.",
    ]
    assert not report.ok
