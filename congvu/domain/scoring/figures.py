"""The definition of every figure the dashboards show, in Vietnamese and English.

Published beside each figure on screen and in docs/dashboards.md (PRODUCT.md, "What no
existing system does" 5: "the definition of every figure published beside it"). Definitions
that depend on the province's policy (minimum sample, weight of a justified finding) are
templates filled from the :class:`~congvu.domain.scoring.league.ScoringPolicy` in force.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from congvu.domain.scoring.league import DEFAULT_POLICY, ScoringPolicy

__all__ = ["FIGURES", "Figure"]


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure: its code, title and definition (``{min_sample}`` and ``{weight}`` are
    filled from the policy)."""

    code: str
    title_vi: str
    title_en: str
    definition_vi: str
    definition_en: str

    def title(self, lang: str = "vi") -> str:
        """The short title in ``lang`` (``"vi"`` default, ``"en"``)."""
        return self.title_en if lang == "en" else self.title_vi

    def definition(self, lang: str = "vi", policy: ScoringPolicy = DEFAULT_POLICY) -> str:
        """The full definition in ``lang``, with the policy's numbers."""
        text = self.definition_en if lang == "en" else self.definition_vi
        weight = f"{policy.justified_weight:g}"
        if lang != "en":
            weight = weight.replace(".", ",")
        return text.format(min_sample=policy.min_sample, weight=weight)


_JUDGED_VI = (
    "hồ sơ, công việc có hạn giải quyết thuộc kỳ và đã rõ kết quả: đã giải quyết xong (có kết "
    "quả hoặc từ chối), hoặc chưa xong nhưng đã quá hạn"
)
_JUDGED_EN = (
    "items whose due moment falls in the period and whose outcome is known: finished (with a "
    "result or a refusal), or unfinished and already past due"
)

_FIGURES = (
    Figure(
        "on_time_rate",
        "Tỷ lệ đúng hạn",
        "On-time rate",
        "Số hồ sơ giải quyết xong không muộn hơn hạn chia cho số " + _JUDGED_VI + ". Hồ sơ "
        "quá hạn mà chưa giải quyết xong được tính là trễ hạn. Không tính hồ sơ chưa đến hạn, "
        "hồ sơ đang chờ người nộp bổ sung từ trước khi đến hạn, hồ sơ đã rút và hồ sơ kết thúc "
        "do không bổ sung. Trong ngoặc: khoảng tin cậy 95 % (Wilson).",
        "Items finished by their due moment divided by the " + _JUDGED_EN + ". An unfinished "
        "item past due counts as late. Items not yet due, waiting for the applicant's "
        "supplement since before their due moment, withdrawn or closed for want of a "
        "supplement are not counted. In brackets: the 95 % confidence interval (Wilson).",
    ),
    Figure(
        "sample",
        "Cỡ mẫu",
        "Sample",
        "Số " + _JUDGED_VI + ". Đơn vị có dưới {min_sample} hồ sơ vẫn được liệt kê nhưng "
        "không xếp hạng: tỷ lệ trên vài hồ sơ chưa đủ tin cậy (xem độ rộng khoảng tin cậy).",
        "The number of " + _JUDGED_EN + ". A unit with fewer than {min_sample} is listed but "
        "not ranked: a rate over a few items says little (see the width of its interval).",
    ),
    Figure(
        "open_overdue",
        "Quá hạn chưa xong",
        "Open overdue",
        "Trong số hồ sơ được đánh giá, số hồ sơ chưa giải quyết xong mà đã quá hạn; đã tính "
        "là trễ hạn trong tỷ lệ đúng hạn.",
        "Among the judged items, those unfinished and past due; already counted as late in "
        "the on-time rate.",
    ),
    Figure(
        "average_lateness",
        "Thời gian trễ bình quân",
        "Average lateness",
        "Trung bình số giờ làm việc vượt quá hạn của các hồ sơ trễ hạn trong kỳ (chỉ tính "
        "giờ hành chính, không tính ngày nghỉ, lễ, Tết). Hồ sơ còn mở tính đến lần quét gần "
        "nhất của hệ thống.",
        "The mean working hours past due over the late items of the period (office hours "
        "only: weekends and holidays do not count). Open items count up to the system's "
        "latest sweep.",
    ),
    Figure(
        "findings_per_1000",
        "Vi phạm / 1.000 hồ sơ",
        "Findings per 1,000 items",
        "Số phát hiện vi phạm còn hiệu lực có thời điểm vi phạm thuộc kỳ, tính cho đơn vị "
        "chịu trách nhiệm, chia cho cỡ mẫu, nhân 1.000. Phát hiện có giải trình đã được chấp "
        "nhận (lý do chính đáng) tính {weight} thay vì 1; phát hiện không còn hiệu lực (ví dụ "
        "quá hạn đã được thay bằng trễ hạn khi có kết quả) không tính.",
        "Current findings whose moment falls in the period, counted for the responsible unit, "
        "divided by the sample and multiplied by 1,000. A finding whose justification was "
        "accepted (a valid reason) weighs {weight} instead of 1; lapsed findings (e.g. an "
        "overdue one replaced by a late result) are not counted.",
    ),
    Figure(
        "satisfaction_mean",
        "Điểm hài lòng bình quân",
        "Mean satisfaction",
        "Điểm đánh giá trung bình (thang 1–5) của người dân, doanh nghiệp trên các hồ sơ được "
        "đánh giá trong cỡ mẫu.",
        "The mean rating (1–5) given by citizens and businesses to the rated items of the sample.",
    ),
    Figure(
        "satisfied_share",
        "Tỷ lệ hài lòng",
        "Share satisfied",
        "Số đánh giá 4 hoặc 5 điểm chia cho số hồ sơ được đánh giá; trong ngoặc: khoảng tin "
        "cậy 95 % (Wilson).",
        "Ratings of 4 or 5 divided by the rated items; in brackets: the 95 % confidence "
        "interval (Wilson).",
    ),
    Figure(
        "rank",
        "Thứ hạng",
        "Rank",
        "Chỉ xếp hạng đơn vị có cỡ mẫu từ {min_sample} trở lên, theo thứ tự: tỷ lệ đúng hạn "
        "cao hơn; bằng nhau thì ít vi phạm / 1.000 hồ sơ hơn; rồi thời gian trễ bình quân "
        "thấp hơn; rồi cỡ mẫu lớn hơn. Bằng nhau cả bốn thì cùng hạng (1, 2, 2, 4).",
        "Only units with a sample of at least {min_sample} are ranked, by: the higher on-time "
        "rate; then the fewer findings per 1,000 items; then the lower average lateness; then "
        "the larger sample. Units equal on all four share a rank (1, 2, 2, 4).",
    ),
    Figure(
        "overdue_now",
        "Đang quá hạn",
        "Overdue now",
        "Số hồ sơ, công việc chưa giải quyết xong đã quá hạn tại thời điểm xem (kể cả hồ sơ "
        "đang chờ bổ sung nhưng đã quá hạn trước khi yêu cầu bổ sung).",
        "Unfinished items past due at the moment of viewing (including those waiting for a "
        "supplement requested after their due moment had passed).",
    ),
    Figure(
        "findings",
        "Phát hiện vi phạm",
        "Findings",
        "Số phát hiện vi phạm còn hiệu lực có thời điểm vi phạm thuộc kỳ (mỗi phát hiện nêu "
        "quy tắc, đơn vị, cán bộ chịu trách nhiệm và các sự kiện chứng minh).",
        "Current findings whose moment falls in the period (each names the rule, the "
        "responsible unit and official, and the events that prove it).",
    ),
)

#: code → :class:`Figure`, in display order.
FIGURES: Mapping[str, Figure] = MappingProxyType({f.code: f for f in _FIGURES})
