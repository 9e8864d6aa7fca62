"""``congvu events import FILE.jsonl [--report FILE] [--lang en]`` and
``congvu events export [FILE] [--source S] [--item CODE] [--since ISO]``.

Import streams the file (constant memory) in batches of one transaction each, with a
progress bar on stderr; a re-run skips what is stored, so an interrupted import is resumed by
running it again. Rejected lines are listed with their line number and reason. On PostgreSQL
the file is shared among worker processes by item (``--workers``, ADR 0009).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from congvu.apps.ledger.selectors import events_export_lines
from congvu.apps.ledger.services import BATCH_SIZE, events_ingest, import_workers
from congvu.domain.ledger.vocabulary import parse_moment


class Command(BaseCommand):
    help = "Nhập, xuất sự kiện công việc (JSON Lines, interchange.md v1)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Nhập sự kiện từ tệp JSON Lines ('-' là stdin).")
        imp.add_argument("file")
        imp.add_argument(
            "--batch",
            type=int,
            default=BATCH_SIZE,
            help="Số dòng mỗi giao dịch (mặc định %(default)s).",
        )
        imp.add_argument(
            "--workers",
            type=int,
            help="Số tiến trình cùng nhập, chia theo mục (PostgreSQL; mặc định: mỗi lõi một"
            " tiến trình, tối đa 4, hoặc CONGVU_IMPORT_WORKERS).",
        )
        imp.add_argument("--report", help="Ghi báo cáo (JSON) vào tệp này.")
        imp.add_argument("--lang", choices=["vi", "en"], default="vi")
        imp.add_argument("--no-progress", action="store_true")
        exp = sub.add_parser("export", help="Xuất sự kiện ra JSON Lines (mặc định: stdout).")
        exp.add_argument("file", nargs="?")
        exp.add_argument("--source")
        exp.add_argument("--item")
        exp.add_argument("--since", help="Chỉ các sự kiện từ thời điểm này (ISO 8601 có múi giờ).")

    def handle(self, *args, **opts):
        if opts["action"] == "import":
            return self._import(opts)
        return self._export(opts)

    def _import(self, opts) -> None:
        lang = opts["lang"]
        path = opts["file"]
        if path != "-" and not Path(path).is_file():
            raise CommandError(
                f"Không tìm thấy tệp {path}." if lang == "vi" else f"File {path} not found."
            )
        size = None if path == "-" else Path(path).stat().st_size
        stream = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
        bar = tqdm(
            total=size,
            unit="B",
            unit_scale=True,
            desc="Nhập sự kiện" if lang == "vi" else "Importing events",
            disable=opts["no_progress"] or size is None,
            file=sys.stderr,
        )
        with stream, bar:

            def lines():
                for raw in stream:
                    bar.update(len(raw))
                    yield raw

            report = events_ingest(
                lines(), batch_size=opts["batch"], workers=opts["workers"] or import_workers()
            )
        data = report.as_dict(lang)
        if opts["report"]:
            Path(opts["report"]).write_text(
                json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8"
            )
        self._summary(data, lang)
        if report.rejected_count:
            raise CommandError(
                f"{report.rejected_count} dòng bị từ chối (xem chi tiết ở trên)."
                if lang == "vi"
                else f"{report.rejected_count} line(s) rejected (details above).",
                returncode=2,
            )

    def _summary(self, data: dict, lang: str) -> None:
        labels = {
            "vi": {
                "read": "Đã đọc",
                "appended": "Đã ghi",
                "duplicates": "Trùng (bỏ qua)",
                "held": "Chờ số thứ tự trước",
                "released": "Đã ghi từ hàng chờ",
                "rejected": "Bị từ chối",
                "items_created": "Mục mới",
            },
            "en": {
                "read": "Read",
                "appended": "Appended",
                "duplicates": "Duplicates (skipped)",
                "held": "Held (waiting for earlier seq)",
                "released": "Released from hold",
                "rejected": "Rejected",
                "items_created": "New items",
            },
        }[lang]
        for key, label in labels.items():
            self.stdout.write(f"{label}: {data[key]:,}".replace(",", "." if lang == "vi" else ","))
        for r in data["rejections"]:
            where = f"dòng {r['line']}" if lang == "vi" else f"line {r['line']}"
            self.stderr.write(f"{where}: {r['message']}" if r["line"] else r["message"])
        if data["rejected"] > len(data["rejections"]):
            more = data["rejected"] - len(data["rejections"])
            self.stderr.write(f"… và {more} dòng nữa." if lang == "vi" else f"… and {more} more.")

    def _export(self, opts) -> None:
        since = None
        if opts["since"]:
            try:
                since = parse_moment(opts["since"])
            except Exception as e:
                raise CommandError(str(e)) from None
        lines = events_export_lines(source=opts["source"], item=opts["item"], since=since)
        if opts["file"]:
            with open(opts["file"], "w", encoding="utf-8") as out:
                for line in lines:
                    out.write(line + "\n")
        else:
            for line in lines:
                self.stdout.write(line)
