"""``congvu ledger verify`` — recompute every item's hash chain from the stored columns and
report the rows that no longer match (a row altered behind the application's back);
``congvu ledger refresh`` — re-fold every item's summary row (after a calendar change)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from congvu.apps.ledger.selectors import ledger_verify
from congvu.apps.ledger.services import items_refresh, items_refresh_open


class Command(BaseCommand):
    help = "Kiểm tra chuỗi băm của sổ sự kiện; tính lại bảng tóm tắt."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Kiểm tra chuỗi băm của mọi mục.")
        verify.add_argument("--lang", choices=["vi", "en"], default="vi")
        refresh = sub.add_parser("refresh", help="Tính lại dòng tóm tắt của mọi mục.")
        refresh.add_argument("--lang", choices=["vi", "en"], default="vi")
        refresh.add_argument(
            "--open", action="store_true", help="Chỉ các mục đang mở (chạy định kỳ)."
        )

    def handle(self, *args, **opts):
        lang = opts["lang"]
        if opts["action"] == "refresh":
            n = items_refresh_open() if opts["open"] else items_refresh()
            self.stdout.write(f"Đã tính lại {n} mục." if lang == "vi" else f"Refreshed {n} items.")
            return
        with tqdm(
            desc="Kiểm tra" if lang == "vi" else "Verifying",
            unit=" sự kiện",
            file=sys.stderr,
            disable=None,
        ) as bar:
            result = ledger_verify(progress=bar.update)
        self.stdout.write(
            f"Đã kiểm tra {result.events} sự kiện của {result.items} mục."
            if lang == "vi"
            else f"Checked {result.events} events of {result.items} items."
        )
        for broken in result.broken:
            self.stderr.write(broken.message(lang))
        if result.broken:
            raise CommandError(
                f"{len(result.broken)} mục có chuỗi băm không khớp: "
                "dữ liệu đã bị sửa ngoài ứng dụng."
                if lang == "vi"
                else f"{len(result.broken)} item(s) with a broken hash chain: rows were altered "
                "outside the application.",
                returncode=3,
            )
        self.stdout.write("Chuỗi băm khớp." if lang == "vi" else "All hash chains match.")
