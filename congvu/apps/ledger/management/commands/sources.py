"""``congvu sources add CODE NAME`` / ``rotate CODE`` / ``disable CODE`` / ``list``: the
systems allowed to push events through ``POST /api/v1/events``, one token each."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from congvu.apps.ledger.models import SourceSystem
from congvu.apps.ledger.services import source_system_create, source_system_rotate


class Command(BaseCommand):
    help = "Quản lý hệ thống nguồn được gửi sự kiện qua API (mỗi hệ thống một khóa truy cập)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Đăng ký hệ thống và in khóa truy cập (chỉ một lần).")
        add.add_argument("code")
        add.add_argument("name")
        for action in ("rotate", "disable"):
            sub.add_parser(action).add_argument("code")
        sub.add_parser("list")

    def handle(self, *args, **opts):
        action = opts["action"]
        if action == "list":
            for s in SourceSystem.objects.all():
                state = "hoạt động" if s.active else "đã tắt"
                self.stdout.write(f"{s.code}\t{s.name}\t{state}")
            return
        if action == "add":
            if opts["code"] == "local" or SourceSystem.objects.filter(code=opts["code"]).exists():
                raise CommandError(f"Mã hệ thống {opts['code']} đã có hoặc dành riêng.")
            _, token = source_system_create(code=opts["code"], name=opts["name"])
            self.stdout.write(f"Khóa truy cập (lưu lại, không hiển thị lần nữa): {token}")
            return
        system = SourceSystem.objects.filter(code=opts["code"]).first()
        if system is None:
            raise CommandError(f"Không có hệ thống nguồn mã {opts['code']}.")
        if action == "rotate":
            token = source_system_rotate(system)
            self.stdout.write(f"Khóa truy cập mới: {token}")
        else:
            system.active = False
            system.save(update_fields=["active"])
            self.stdout.write(f"Đã tắt hệ thống {system.code}.")
