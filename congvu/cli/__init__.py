"""The `congvu` console script.

Pure commands (``congvu calendar …``) run without Django or a database. Everything else is
a Django management command (``congvu migrate``, ``congvu demo`` …).
"""

from __future__ import annotations

import os
import sys

PURE_COMMANDS = {"calendar": "calendar_cmd", "check": "check_cmd"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in PURE_COMMANDS:
        import importlib

        command = importlib.import_module(f"congvu.cli.{PURE_COMMANDS[args[0]]}")
        return int(command.main(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congvu.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["congvu", *args])
    return 0
