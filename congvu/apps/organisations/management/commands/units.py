"""``congvu units import FILE [--partial] [--format csv|json] [--lang vi|en]``
and ``congvu units export [--format csv|json] [--output FILE]``."""

from __future__ import annotations

from congvu.apps.organisations.management.transfer_command import TransferCommand
from congvu.apps.organisations.models import Unit
from congvu.apps.organisations.transfer import units_export, units_import


def _count() -> int:
    return Unit.objects.count()


class Command(TransferCommand):
    help = (
        "Nhập, xuất danh sách đơn vị (CSV, JSON). Tệp có lỗi thì không nhập gì, trừ khi dùng"
        " --partial; mỗi lỗi ghi rõ dòng và lý do."
    )
    nouns = ("đơn vị", "units")
    importer = staticmethod(units_import)
    exporter = staticmethod(units_export)
    counter = staticmethod(_count)
