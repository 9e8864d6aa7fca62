"""``congvu procedures import FILE [--format json|csv] [--partial] [--lang vi|en]``
and ``congvu procedures export [FILE] [--format json|csv] [--lang vi|en]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from congvu.apps.organisations.management.transfer_command import TransferCommand, say
from congvu.apps.procedures.models import Procedure
from congvu.apps.procedures.selectors import procedures_export
from congvu.apps.procedures.services import FORMATS, procedures_format, procedures_import


class Command(TransferCommand):
    """The organisation's import/export command shape (``handle`` and its error messages),
    with the catalog's own arguments, importer and exporter."""

    nouns = ("thủ tục", "procedures")
    help = (
        "Nhập, xuất danh mục thủ tục hành chính (JSON theo định dạng v1, hoặc CSV). Tệp có lỗi"
        " thì không nhập gì, trừ khi dùng --partial; mỗi lỗi ghi rõ dòng, cột và lý do."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        importing = actions.add_parser("import", help="Nhập từ tệp JSON (v1) hoặc CSV.")
        importing.add_argument("file", help="Tệp .json hoặc .csv (UTF-8, có hoặc không BOM).")
        importing.add_argument(
            "--partial",
            action="store_true",
            help="Nhập các thủ tục đúng, bỏ qua thủ tục lỗi (mặc định: có lỗi thì không nhập gì).",
        )
        exporting = actions.add_parser("export", help="Xuất ra JSON (v1) hoặc CSV.")
        exporting.add_argument("file", nargs="?", help="Tệp đích (mặc định: đầu ra chuẩn).")
        exporting.add_argument("--output", "-o", help="Tệp đích (như FILE).")
        for sub in (importing, exporting):
            sub.add_argument(
                "--format", choices=FORMATS, help="json hoặc csv (mặc định: theo đuôi tệp)."
            )
            sub.add_argument(
                "--lang", choices=("vi", "en"), default="vi", help="Ngôn ngữ thông báo (vi, en)."
            )

    def run_import(self, options: dict[str, Any], lang: str) -> None:
        path = options["file"]
        report = procedures_import(path=path, fmt=options["format"], partial=options["partial"])
        for message in report.messages(lang):
            self.stderr.write(message)
        for line in report.summary(lang):
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(say("rejected", lang, count=len(report.errors), path=path))

    def run_export(self, options: dict[str, Any], lang: str) -> None:
        output = options["file"] or options["output"]
        fmt = procedures_format(path=output, fmt=options["format"])
        text = procedures_export(fmt)
        if output is None:
            self.stdout.write(text, ending="")
            return
        with Path(output).open("w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        count = Procedure.objects.count()
        self.stdout.write(
            say("exported", lang, count=count, noun=self.nouns[lang == "en"], path=output)
        )
