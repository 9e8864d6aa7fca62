import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from congvu.apps.demo.services import demo_dossiers_load, demo_load


class Command(BaseCommand):
    help = (
        "Nạp tỉnh mẫu (dữ liệu giả lập, tất định) cùng một năm hồ sơ, và in các tài khoản dùng"
        " thử. Chạy lại không nhân đôi dữ liệu."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=2025, help="Hạt giống ngẫu nhiên (mặc định 2025)."
        )
        parser.add_argument(
            "--dossiers",
            type=int,
            default=20_000,
            help="Số hồ sơ của năm mẫu (mặc định 20.000; 0: không tạo hồ sơ).",
        )

    def handle(self, *args, seed: int, dossiers: int, **options):
        plan, logins = demo_load(seed=seed)
        self.stdout.write(
            f"Tỉnh mẫu: {len(plan.units)} đơn vị, {len(plan.officials)} cán bộ, "
            f"{len(plan.lineage)} quan hệ sắp xếp (hạt giống {seed})."
        )
        with tqdm(desc="Nạp hồ sơ mẫu qua sổ sự kiện", unit=" dòng", file=sys.stderr) as bar:
            report = demo_dossiers_load(
                plan, count=dossiers, seed=seed, on_batch=lambda n: bar.update(n - bar.n)
            )
        if report is None:
            self.stdout.write("Hồ sơ mẫu: đã có từ lần nạp trước, không tạo lại.")
        else:
            self.stdout.write(
                f"Hồ sơ mẫu: {report.items_created} hồ sơ, {report.appended} sự kiện"
                f" ({report.rejected_count} bị từ chối)."
            )
        self.stdout.write("Tài khoản dùng thử (demo logins):")
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(
                f"  {login.username.ljust(width)}  {login.password}  {login.description}"
            )
        self.stdout.write("Tra cứu hồ sơ (không cần đăng nhập): /tra-cuu/")
