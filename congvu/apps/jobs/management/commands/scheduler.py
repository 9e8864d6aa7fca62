"""``congvu scheduler``: the one process that queues periodic work (the time-driven findings
pass, reminders, the daily digests). Workers (``congvu db_worker`` or ``congvu rqworker``) do
the work. Run it as a service (loop) or from cron (``--once``); see docs/operations.md."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from congvu.apps.jobs.services import scheduler_tick

OUTCOMES = {
    "queued": "đã đưa vào hàng đợi",
    "not_due": "chưa đến giờ",
    "pending": "lần trước còn trong hàng đợi, bỏ qua",
    "taken": "bộ lập lịch khác đã nhận",
    "failed": "không đưa được vào hàng đợi (xem nhật ký)",
}


class Command(BaseCommand):
    help = (
        "Bộ lập lịch: đưa vào hàng đợi các tác vụ định kỳ đã đến giờ (quét vi phạm theo thời "
        "gian, nhắc hạn, tổng hợp hằng ngày). Chạy liên tục (mặc định) hoặc một lần (--once, "
        "dùng với cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Chạy một lượt rồi thoát (dùng với cron)."
        )
        parser.add_argument(
            "--interval",
            type=int,
            default=60,
            help="Số giây giữa hai lượt khi chạy liên tục (mặc định 60).",
        )

    def handle(self, *args, once: bool, interval: int, **options):
        if interval < 1:
            raise CommandError(f"--interval {interval}: phải là số giây ≥ 1.")
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        if not once:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        while True:
            for tick in scheduler_tick():
                if tick.outcome != "not_due" or options["verbosity"] > 1:
                    ref = f" (mã {tick.result_id})" if tick.result_id else ""
                    self.stdout.write(f"{tick.job}: {OUTCOMES[tick.outcome]}{ref}")
            if once:
                return
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(1.0, deadline - time.monotonic()))
            if stopping:
                self.stdout.write("Bộ lập lịch dừng.")
                return
            # a long-lived process: drop a connection the database has timed out meanwhile
            close_old_connections()
