"""The outcome of an import, and its summary in Vietnamese or English."""

from __future__ import annotations

from dataclasses import dataclass, field

from congvu.domain.errors import Lang
from congvu.domain.organisation.errors import RowError

__all__ = ["ImportReport", "Tally"]

_NOUNS = {
    "units": ("Đơn vị", "Units"),
    "lineage": ("Quan hệ sắp xếp", "Lineage edges"),
    "officials": ("Cán bộ", "Officials"),
}


@dataclass
class Tally:
    """How many items of one kind were created, updated, left unchanged or rejected."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    def line(self, noun: str, lang: Lang) -> str:
        """One summary line, e.g. "Đơn vị: 2 thêm mới, 1 cập nhật, 9 không đổi, 1 bị từ chối."."""
        if lang == "en":
            return (
                f"{noun}: {self.created} created, {self.updated} updated, "
                f"{self.unchanged} unchanged, {self.rejected} rejected."
            )
        return (
            f"{noun}: {self.created} thêm mới, {self.updated} cập nhật, "
            f"{self.unchanged} không đổi, {self.rejected} bị từ chối."
        )


@dataclass
class ImportReport:
    """What an import did.

    ``kind`` is "units" or "officials". ``written`` is False when the file had errors and was
    imported all-or-nothing: then nothing was stored and the tallies count only rejections.
    ``positions_removed`` counts stored positions deleted because the file replaced an
    official's positions (only when asked to). ``errors`` lists every problem in file order.
    """

    kind: str
    partial: bool = False
    items: Tally = field(default_factory=Tally)
    lineage: Tally | None = None
    positions_removed: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = True
    total: int = 0

    @property
    def ok(self) -> bool:
        """True when nothing was rejected and no problem was found."""
        return not self.errors

    def messages(self, lang: Lang = "vi") -> list[str]:
        """Every error message, one per problem, in ``lang``."""
        return [error.message(lang) for error in self.errors]

    def summary(self, lang: Lang = "vi") -> list[str]:
        """The summary lines in ``lang``: the tallies, then what happened to the file."""
        en = lang == "en"
        lines = [self.items.line(_NOUNS[self.kind][en], lang)]
        if self.lineage is not None and (self.lineage != Tally() or not self.written):
            lines.append(self.lineage.line(_NOUNS["lineage"][en], lang))
        if self.positions_removed:
            lines.append(
                f"Removed {self.positions_removed} stored positions not listed in the file."
                if en
                else f"Đã xóa {self.positions_removed} vị trí công tác không còn trong tệp."
            )
        if not self.written:
            lines.append(
                f"Nothing was imported: {len(self.errors)} problem(s) found. Fix them and import "
                "again, or import only the good rows with --partial."
                if en
                else f"Chưa nhập gì: tệp có {len(self.errors)} lỗi. Sửa rồi nhập lại, hoặc chỉ "
                "nhập các dòng đúng bằng --partial."
            )
        elif self.errors:
            lines.append(
                f"Imported the good rows only; {len(self.errors)} problem(s) listed above."
                if en
                else f"Chỉ nhập các dòng đúng; {len(self.errors)} lỗi liệt kê ở trên."
            )
        return lines
