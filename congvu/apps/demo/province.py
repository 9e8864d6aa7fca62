"""A deterministic, realistic post-2025 demo province, as plain data (no database).

Two-tier local government (Law 72/2025/QH15): the provincial People's Committee, its
departments with their real post-2025 names, the provincial public-administration service
centre, ~30 communes and wards with hamlets or residential groups, ~300 officials with
position histories, and one merger lineage (two former communes of an abolished district
→ one new commune on 01/07/2025). The province itself is fictional ("dữ liệu mẫu").
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

REFORM_DAY = dt.date(2025, 7, 1)
BEFORE_REFORM = dt.date(2025, 6, 30)
PROVINCE_CODE = "H99"
DEMO_PASSWORD = "congvu-demo"  # noqa: S105 — printed on purpose: demo logins only


@dataclass(frozen=True)
class UnitPlan:
    code: str
    name: str
    level: str
    parent: str | None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    oversees_province: bool = False
    calendar: str | None = None


@dataclass(frozen=True)
class PositionPlan:
    unit: str
    title: str
    role: str
    start_on: dt.date
    end_on: dt.date | None = None
    decision: str = ""


@dataclass(frozen=True)
class OfficialPlan:
    code: str
    full_name: str
    positions: tuple[PositionPlan, ...]
    username: str | None = None
    email: str = ""


@dataclass(frozen=True)
class LineagePlan:
    predecessor: str
    successor: str
    kind: str
    effective_on: dt.date
    legal_basis: str


@dataclass
class ProvincePlan:
    units: list[UnitPlan] = field(default_factory=list)
    officials: list[OfficialPlan] = field(default_factory=list)
    lineage: list[LineagePlan] = field(default_factory=list)
    local_days_off: list[tuple[str, dt.date, str]] = field(default_factory=list)


DEPARTMENTS = [
    # (suffix, name, divisions, oversees_province)
    (
        "VP",
        "Văn phòng Ủy ban nhân dân tỉnh",
        ["Phòng Tổng hợp", "Phòng Kiểm soát thủ tục hành chính", "Phòng Hành chính – Tổ chức"],
        False,
    ),
    (
        "SNV",
        "Sở Nội vụ",
        [
            "Văn phòng Sở",
            "Phòng Tổ chức, biên chế",
            "Phòng Cải cách hành chính",
            "Phòng Công chức, viên chức",
            "Phòng Thi đua – Khen thưởng",
        ],
        True,
    ),
    (
        "STC",
        "Sở Tài chính",
        [
            "Văn phòng Sở",
            "Phòng Quản lý ngân sách",
            "Phòng Đăng ký kinh doanh",
            "Phòng Quản lý đầu tư",
        ],
        False,
    ),
    (
        "STP",
        "Sở Tư pháp",
        [
            "Văn phòng Sở",
            "Phòng Hành chính tư pháp",
            "Phòng Bổ trợ tư pháp",
            "Phòng Xây dựng và kiểm tra văn bản",
        ],
        False,
    ),
    (
        "SXD",
        "Sở Xây dựng",
        [
            "Văn phòng Sở",
            "Phòng Quản lý hoạt động xây dựng",
            "Phòng Quản lý nhà và thị trường bất động sản",
            "Phòng Quản lý vận tải",
        ],
        False,
    ),
    (
        "SCT",
        "Sở Công Thương",
        ["Văn phòng Sở", "Phòng Quản lý thương mại", "Phòng Quản lý năng lượng"],
        False,
    ),
    (
        "SNNMT",
        "Sở Nông nghiệp và Môi trường",
        ["Văn phòng Sở", "Phòng Quản lý đất đai", "Phòng Môi trường", "Chi cục Thủy lợi"],
        False,
    ),
    (
        "SKHCN",
        "Sở Khoa học và Công nghệ",
        ["Văn phòng Sở", "Phòng Chuyển đổi số", "Phòng Quản lý công nghệ"],
        False,
    ),
    (
        "SGDDT",
        "Sở Giáo dục và Đào tạo",
        ["Văn phòng Sở", "Phòng Giáo dục phổ thông", "Phòng Tổ chức cán bộ"],
        False,
    ),
    (
        "SYT",
        "Sở Y tế",
        ["Văn phòng Sở", "Phòng Nghiệp vụ Y", "Phòng Nghiệp vụ Dược", "Phòng Bảo trợ xã hội"],
        False,
    ),
    (
        "SVHTTDL",
        "Sở Văn hóa, Thể thao và Du lịch",
        ["Văn phòng Sở", "Phòng Quản lý văn hóa", "Phòng Quản lý du lịch"],
        False,
    ),
    ("SDTTG", "Sở Dân tộc và Tôn giáo", ["Văn phòng Sở", "Phòng Chính sách dân tộc"], False),
    (
        "TTR",
        "Thanh tra tỉnh",
        ["Văn phòng", "Phòng Thanh tra 1", "Phòng Thanh tra 2", "Phòng Tiếp công dân, xử lý đơn"],
        False,
    ),
]

COMMUNES = [
    # (name, is_ward)
    ("Minh Sơn", True),
    ("Đông Thành", True),
    ("Tây Hồ", True),
    ("Bắc Giang Sơn", True),
    ("Nam Xuân", True),
    ("Thạch Bàn", True),
    ("Hòa Phú", False),
    ("Tân Lập", False),
    ("Phước Hưng", False),
    ("Vĩnh Thạnh", False),
    ("Long Điền", False),
    ("Mỹ Lộc", False),
    ("Quảng Tiến", False),
    ("Cẩm Thủy", False),
    ("Hải Ninh", False),
    ("Thanh Bình", False),
    ("Phú Xuân", False),
    ("Tiên Phong", False),
    ("Đại Đồng", False),
    ("Hương Sơn", False),
    ("Lạc Thủy", False),
    ("Ngọc Lâm", False),
    ("Sơn Thủy", False),
    ("Kim Liên", False),
    ("Yên Hòa", False),
    ("Trường Xuân", False),
    ("Bình Minh", False),
    ("Hồng Phong", False),
    ("An Phú Lạc", False),  # formed on 01/07/2025 from Xã An Phú + Xã An Lạc
]
SPECIAL_ZONE = "Cù Lao Xanh"

HAMLET_NAMES = [
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Trung",
    "Thượng",
    "Hạ",
    "Tân",
    "Phú",
    "Mỹ",
    "An",
    "Hòa",
]

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trương",
]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Xuân", "Ngọc", "Đình"]
MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hoài", "Thùy", "Kim", "Bích", "Phương"]
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hiếu",
    "Hùng",
    "Khánh",
    "Long",
    "Nam",
    "Phong",
    "Phúc",
    "Quang",
    "Sơn",
    "Thắng",
    "Tuấn",
    "Việt",
    "Vinh",
    "Trung",
]
GIVEN_F = [
    "Anh",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Nga",
    "Oanh",
    "Quyên",
    "Tâm",
    "Thảo",
    "Trang",
    "Vân",
    "Yến",
    "Nhung",
    "Huyền",
]


class _Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def person(self) -> str:
        for _ in range(1000):
            female = self.rng.random() < 0.45
            name = " ".join(
                (
                    self.rng.choice(FAMILY),
                    self.rng.choice(MIDDLE_F if female else MIDDLE_M),
                    self.rng.choice(GIVEN_F if female else GIVEN_M),
                )
            )
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("name space exhausted")


class _Staffing:
    """Hands out official codes and builds plausible position histories."""

    def __init__(self, rng: random.Random, plan: ProvincePlan) -> None:
        self.rng = rng
        self.plan = plan
        self.names = _Names(rng)
        self.count = 0

    def start_date(self, earliest: int = 2012, latest: int = 2025) -> dt.date:
        year = self.rng.randint(earliest, latest)
        return dt.date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))

    def hire_with_history(self, positions: tuple[PositionPlan, ...]) -> OfficialPlan:
        self.count += 1
        code = f"CB{self.count:05d}"
        official = OfficialPlan(
            code, self.names.person(), positions, None, f"{code.lower()}@demo.congvu.local"
        )
        self.plan.officials.append(official)
        return official

    def hire(
        self,
        unit: str,
        title: str,
        role: str,
        *,
        username: str | None = None,
        start_on: dt.date | None = None,
        history_units: list[str] | None = None,
    ) -> OfficialPlan:
        self.count += 1
        code = f"CB{self.count:05d}"
        start = start_on or self.start_date()
        positions = [
            PositionPlan(unit, title, role, start, None, f"Quyết định số {self.count}/QĐ-UBND")
        ]
        # about a third have an earlier post elsewhere: history that rotation and reports use
        if history_units and self.rng.random() < 0.35 and start.year > 2013:
            earlier = self.start_date(2008, start.year - 2)
            positions.append(
                PositionPlan(
                    self.rng.choice(history_units),
                    "Chuyên viên",
                    "specialist",
                    earlier,
                    start - dt.timedelta(days=1),
                )
            )
        official = OfficialPlan(
            code=code,
            full_name=self.names.person(),
            positions=tuple(positions),
            username=username,
            email=f"{username or code.lower()}@demo.congvu.local",
        )
        self.plan.officials.append(official)
        return official


def build_province(seed: int = 2025) -> ProvincePlan:
    """The whole demo province. The same seed always gives the same province."""
    rng = random.Random(seed)
    plan = ProvincePlan()
    staff = _Staffing(rng, plan)
    p = PROVINCE_CODE
    plan.units.append(
        UnitPlan(p, "Ủy ban nhân dân tỉnh Minh Sơn (dữ liệu mẫu)", "province", None, calendar="VN")
    )

    # Province leadership
    staff.hire(
        p,
        "Chủ tịch Ủy ban nhân dân tỉnh",
        "province_leader",
        username="chutich",
        start_on=dt.date(2021, 6, 1),
    )
    for _ in range(3):
        staff.hire(p, "Phó Chủ tịch Ủy ban nhân dân tỉnh", "province_leader")

    division_codes: list[str] = []
    for index, (suffix, name, divisions, oversees) in enumerate(DEPARTMENTS, start=1):
        dept = f"{p}.{index:02d}"
        plan.units.append(
            UnitPlan(
                dept,
                name,
                "department",
                p,
                valid_from=dt.date(2025, 3, 1),
                oversees_province=oversees,
            )
        )
        is_home_affairs = suffix == "SNV"
        is_inspectorate = suffix == "TTR"
        head_role = "unit_head"
        staff.hire(
            dept,
            "Chánh Thanh tra tỉnh"
            if is_inspectorate
            else ("Chánh Văn phòng" if suffix == "VP" else "Giám đốc Sở"),
            head_role,
            username={"STP": "giamdoc_tuphap", "SNV": "giamdoc_noivu"}.get(suffix),
        )
        for _ in range(rng.randint(1, 2)):
            staff.hire(
                dept,
                "Phó Chánh Thanh tra tỉnh" if is_inspectorate else "Phó Giám đốc Sở",
                head_role,
            )
        for d_index, d_name in enumerate(divisions, start=1):
            div = f"{dept}.{d_index:02d}"
            division_codes.append(div)
            plan.units.append(UnitPlan(div, d_name, "division", dept))
            staff.hire(
                div,
                "Trưởng phòng" if not d_name.startswith("Văn phòng") else "Chánh Văn phòng",
                "unit_head",
            )
            worker_role = (
                "inspector"
                if is_inspectorate
                else ("supervisor" if is_home_affairs else "specialist")
            )
            for k in range(rng.randint(1, 3)):
                username = None
                if suffix == "STP" and d_index == 2 and k == 0:
                    username = "chuyenvien_tuphap"
                elif is_home_affairs and d_index == 3 and k == 0:
                    username = "giamsat_noivu"
                elif is_inspectorate and d_index == 2 and k == 0:
                    username = "thanhtra"
                staff.hire(
                    div,
                    "Thanh tra viên" if is_inspectorate else "Chuyên viên",
                    worker_role,
                    username=username,
                    history_units=division_codes[:-1] or None,
                )
        if suffix == "VP":
            centre = f"{p}.TTPVHCC"
            plan.units.append(
                UnitPlan(centre, "Trung tâm Phục vụ hành chính công tỉnh", "one_stop_centre", dept)
            )
            staff.hire(centre, "Giám đốc Trung tâm", "unit_head")
            for k in range(6):
                staff.hire(
                    centre,
                    "Công chức tiếp nhận và trả kết quả",
                    "one_stop",
                    username="motcua_tinh" if k == 0 else None,
                )

    # The abolished district and its two former communes (history only)
    district = f"{p}.H01"
    plan.units.append(
        UnitPlan(
            district,
            "Huyện Minh Long (đã kết thúc hoạt động)",
            "district",
            p,
            valid_to=BEFORE_REFORM,
        )
    )
    old_a, old_b = f"{p}.X90", f"{p}.X91"
    plan.units.append(
        UnitPlan(old_a, "Xã An Phú (cũ)", "commune", district, valid_to=BEFORE_REFORM)
    )
    plan.units.append(
        UnitPlan(old_b, "Xã An Lạc (cũ)", "commune", district, valid_to=BEFORE_REFORM)
    )
    commune_codes: list[str] = []
    for index, (name, is_ward) in enumerate(COMMUNES, start=1):
        code = f"{p}.X{index:02d}"
        commune_codes.append(code)
        level = "ward" if is_ward else "commune"
        label = ("Phường " if is_ward else "Xã ") + name
        merged = name == "An Phú Lạc"
        plan.units.append(
            UnitPlan(
                code,
                f"Ủy ban nhân dân {label[0].lower()}{label[1:]}",
                level,
                p,
                valid_from=REFORM_DAY,
                calendar="XA-CAMTHUY" if name == "Cẩm Thủy" else None,
            )
        )
        centre = f"{code}.TTPV"
        plan.units.append(
            UnitPlan(
                centre,
                f"Trung tâm Phục vụ hành chính công {label[0].lower()}{label[1:]}",
                "one_stop_centre",
                code,
                valid_from=REFORM_DAY,
            )
        )
        for h_index in range(rng.randint(4, 7)):
            h_name = (
                f"Tổ dân phố {h_index + 1}"
                if is_ward
                else f"Thôn {rng.choice(HAMLET_NAMES)} {h_index + 1}"
            )
            plan.units.append(
                UnitPlan(
                    f"{code}.T{h_index + 1:02d}",
                    h_name,
                    "residential_group" if is_ward else "hamlet",
                    code,
                    valid_from=REFORM_DAY,
                )
            )
        first = index == 1
        chair_start = REFORM_DAY
        if merged:
            # the two former chairmen lead the merged commune: their history spans the merger
            for old, title in ((old_a, "Chủ tịch"), (old_b, "Phó Chủ tịch")):
                staff.hire_with_history(
                    (
                        PositionPlan(
                            code,
                            f"{title} Ủy ban nhân dân xã",
                            "unit_head",
                            REFORM_DAY,
                            None,
                            "Quyết định số 2150/QĐ-UBND",
                        ),
                        PositionPlan(
                            old,
                            "Chủ tịch Ủy ban nhân dân xã",
                            "unit_head",
                            dt.date(2021, 7, 1),
                            BEFORE_REFORM,
                        ),
                    )
                )
        else:
            staff.hire(
                code,
                "Chủ tịch Ủy ban nhân dân " + ("phường" if is_ward else "xã"),
                "unit_head",
                username="chutich_xa" if first else None,
                start_on=chair_start,
            )
        staff.hire(
            centre, "Phó Chủ tịch UBND, Giám đốc Trung tâm", "unit_head", start_on=chair_start
        )
        for k in range(rng.randint(2, 3)):
            staff.hire(
                centre,
                "Công chức một cửa",
                "one_stop",
                username="motcua_xa" if first and k == 0 else None,
                start_on=chair_start,
                history_units=[old_a, old_b] if merged else None,
            )
        for _ in range(rng.randint(1, 2)):
            staff.hire(
                code,
                rng.choice(
                    [
                        "Công chức Tư pháp – Hộ tịch",
                        "Công chức Địa chính – Xây dựng",
                        "Công chức Văn hóa – Xã hội",
                        "Công chức Tài chính – Kế toán",
                    ]
                ),
                "specialist",
                start_on=chair_start,
            )

    zone = f"{p}.DK1"
    plan.units.append(
        UnitPlan(
            zone,
            f"Ủy ban nhân dân đặc khu {SPECIAL_ZONE}",
            "special_zone",
            p,
            valid_from=REFORM_DAY,
        )
    )
    staff.hire(zone, "Chủ tịch Ủy ban nhân dân đặc khu", "unit_head", start_on=REFORM_DAY)

    basis = (
        "Nghị quyết số 1699/NQ-UBTVQH15 ngày 16/06/2025 về sắp xếp đơn vị hành chính cấp xã"
        " (dữ liệu mẫu)"
    )
    merged_code = f"{p}.X{len(COMMUNES):02d}"
    plan.lineage += [
        LineagePlan(old_a, merged_code, "merger", REFORM_DAY, basis),
        LineagePlan(old_b, merged_code, "merger", REFORM_DAY, basis),
    ]
    plan.local_days_off.append(
        (
            "XA-CAMTHUY",
            dt.date(2026, 3, 10),
            "Lễ hội truyền thống đình Cẩm Thủy (nghỉ theo quyết định của UBND xã)",
        )
    )
    return plan
