"""``congvu officials import FILE [--partial] [--replace-positions] [--format csv|json]
[--lang vi|en]`` and ``congvu officials export [--format csv|json] [--output FILE]``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from congvu.apps.organisations.management.transfer_command import TransferCommand
from congvu.apps.organisations.models import Official
from congvu.apps.organisations.transfer import officials_export, officials_import


def _count() -> int:
    return Official.objects.count()


class Command(TransferCommand):
    help = (
        "Nhập, xuất danh sách cán bộ và vị trí công tác (CSV, JSON). Tệp có lỗi thì không nhập"
        " gì, trừ khi dùng --partial; mỗi lỗi ghi rõ dòng và lý do."
    )
    nouns = ("cán bộ", "officials")
    importer = staticmethod(officials_import)
    exporter = staticmethod(officials_export)
    counter = staticmethod(_count)

    def add_import_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--replace-positions",
            action="store_true",
            help=(
                "Xóa các vị trí công tác đã lưu mà tệp không liệt kê (mặc định: giữ lại,"
                " không bao giờ tự xóa lịch sử)."
            ),
        )

    def import_options(self, options: dict[str, Any]) -> dict[str, Any]:
        return {"replace_positions": options["replace_positions"]}
