from django.core.management.base import BaseCommand

from congvu.apps.demo.services import demo_load


class Command(BaseCommand):
    help = (
        "Nạp tỉnh mẫu (dữ liệu giả lập, tất định) và in các tài khoản dùng thử."
        " Chạy lại không nhân đôi dữ liệu."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=2025, help="Hạt giống ngẫu nhiên (mặc định 2025)."
        )

    def handle(self, *args, seed: int, **options):
        plan, logins = demo_load(seed=seed)
        self.stdout.write(
            f"Tỉnh mẫu: {len(plan.units)} đơn vị, {len(plan.officials)} cán bộ, "
            f"{len(plan.lineage)} quan hệ sắp xếp (hạt giống {seed})."
        )
        self.stdout.write("Tài khoản dùng thử (demo logins):")
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(
                f"  {login.username.ljust(width)}  {login.password}  {login.description}"
            )
