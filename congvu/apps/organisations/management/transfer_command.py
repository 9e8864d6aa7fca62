"""The shared shape of ``congvu units …`` and ``congvu officials …`` (import / export)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congvu.apps.organisations.transfer import FORMATS, transfer_format
from congvu.domain.organisation import ImportReport, UnsupportedFormatError

LANGS = ("vi", "en")

TEXT = {
    "file_error": ("Không đọc được tệp {path}: {reason}.", "Cannot read {path}: {reason}."),
    "rejected": (
        "Có {count} lỗi trong tệp {path}; xem danh sách ở trên.",
        "{count} problem(s) in {path}; see the list above.",
    ),
    "exported": ("Đã xuất {count} {noun} vào {path}.", "Exported {count} {noun} to {path}."),
}


def say(key: str, lang: str, **params: Any) -> str:
    return TEXT[key][lang == "en"].format(**params)


class TransferCommand(BaseCommand):
    """``<kind> import FILE [--partial] [--format csv|json] [--lang vi|en]`` and
    ``<kind> export [--format csv|json] [--output FILE] [--lang vi|en]``."""

    nouns: tuple[str, str]
    importer: Callable[..., ImportReport]
    exporter: Callable[[str], str]
    counter: Callable[[], int]

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        importing = actions.add_parser("import", help="Nhập từ tệp CSV hoặc JSON.")
        importing.add_argument("file", help="Tệp .csv hoặc .json (UTF-8, có hoặc không BOM).")
        importing.add_argument(
            "--partial",
            action="store_true",
            help="Nhập các dòng đúng, bỏ qua dòng lỗi (mặc định: tệp có lỗi thì không nhập gì).",
        )
        self.add_import_arguments(importing)
        exporting = actions.add_parser("export", help="Xuất ra CSV hoặc JSON.")
        exporting.add_argument("--output", "-o", help="Tệp đích (mặc định: đầu ra chuẩn).")
        for sub in (importing, exporting):
            sub.add_argument(
                "--format", choices=FORMATS, help="csv hoặc json (mặc định: theo đuôi tệp)."
            )
            sub.add_argument(
                "--lang", choices=LANGS, default="vi", help="Ngôn ngữ thông báo (vi, en)."
            )

    def add_import_arguments(self, parser: CommandParser) -> None:
        """Options that only one kind of import has."""

    def import_options(self, options: dict[str, Any]) -> dict[str, Any]:
        return {}

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        lang = options["lang"]
        try:
            if action == "import":
                self.run_import(options, lang)
            else:
                self.run_export(options, lang)
        except UnsupportedFormatError as exc:
            raise CommandError(exc.message(lang)) from exc
        except OSError as exc:
            path = exc.filename or options.get("file") or options.get("output")
            raise CommandError(say("file_error", lang, path=path, reason=exc.strerror)) from exc

    def run_import(self, options: dict[str, Any], lang: str) -> None:
        path = options["file"]
        report = type(self).importer(
            path=path,
            fmt=transfer_format(path=path, fmt=options["format"]),
            partial=options["partial"],
            **self.import_options(options),
        )
        for message in report.messages(lang):
            self.stderr.write(message)
        for line in report.summary(lang):
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(say("rejected", lang, count=len(report.errors), path=path))

    def run_export(self, options: dict[str, Any], lang: str) -> None:
        output = options["output"]
        text = type(self).exporter(transfer_format(path=output, fmt=options["format"]))
        if output is None:
            self.stdout.write(text, ending="")
            return
        with Path(output).open("w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        noun = self.nouns[lang == "en"]
        self.stdout.write(say("exported", lang, count=type(self).counter(), noun=noun, path=output))
