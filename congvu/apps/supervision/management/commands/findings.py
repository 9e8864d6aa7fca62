"""``congvu findings sweep`` — the time-driven pass (open items re-folded at now, lagging items
caught up); ``congvu findings refresh`` — recompute the findings of chosen items, e.g. after a
threshold or a calendar changed (a deliberate act: finished items are not re-checked by the
sweep)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from congvu.apps.ledger.models import Item
from congvu.apps.supervision.services import FindingsRun, findings_refresh, findings_sweep


def _en(n: int, noun: str) -> str:
    """``1 item``, ``2 items``: commands speak both languages themselves (``--lang``)."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


class Command(BaseCommand):
    help = "Tính các phát hiện vi phạm: quét theo thời gian, hoặc tính lại cho các mục chọn."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sweep = sub.add_parser("sweep", help="Quét các mục đang mở và các mục chưa kiểm tra.")
        sweep.add_argument("--lang", choices=["vi", "en"], default="vi")
        refresh = sub.add_parser("refresh", help="Tính lại phát hiện của các mục được chọn.")
        refresh.add_argument("--lang", choices=["vi", "en"], default="vi")
        refresh.add_argument("--all", action="store_true", help="Mọi mục.")
        refresh.add_argument("--procedure", help="Các hồ sơ của một thủ tục (mã).")
        refresh.add_argument("--unit", help="Các mục do một đơn vị tiếp nhận hoặc đang giữ (mã).")
        refresh.add_argument("--item", help="Một mục (mã).")

    def handle(self, *args, **opts):
        lang = opts["lang"]
        if opts["action"] == "sweep":
            self._report(findings_sweep(), lang)
            return
        items = Item.objects.all()
        chosen = False
        if opts["procedure"]:
            items, chosen = items.filter(procedure=opts["procedure"]), True
        if opts["unit"]:
            items = items.filter(unit=opts["unit"]) | items.filter(agency=opts["unit"])
            chosen = True
        if opts["item"]:
            items, chosen = items.filter(code=opts["item"]), True
        if not chosen and not opts["all"]:
            self.stderr.write(
                "Chọn --all, --procedure, --unit hoặc --item."
                if lang == "vi"
                else "Choose --all, --procedure, --unit or --item."
            )
            raise SystemExit(2)
        self._report(findings_refresh(items), lang)

    def _report(self, run: FindingsRun, lang: str) -> None:
        if lang == "en":
            self.stdout.write(
                f"Checked {_en(run.items, 'item')}: {_en(len(run.created), 'new finding')}, "
                f"{run.updated} updated, {run.lapsed} no longer found, "
                f"{_en(len(run.errors), 'item')} not checked."
            )
        else:
            self.stdout.write(
                f"Đã kiểm tra {run.items} mục: {len(run.created)} phát hiện mới, {run.updated} "
                f"cập nhật, {run.lapsed} không còn phát hiện, {len(run.errors)} mục không kiểm "
                "tra được."
            )
        for code, message in run.errors[:50]:
            self.stderr.write(f"{code}: {message}")
