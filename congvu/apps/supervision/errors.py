"""Why a justification or a review was refused, in Vietnamese and English."""

from __future__ import annotations

from congvu.domain.errors import DomainError


class JustificationNotAllowedError(DomainError):
    code = "supervision_justification_not_allowed"
    template_vi = (
        "Phát hiện số {finding}: tài khoản này không có thẩm quyền (giải trình: thủ trưởng đơn "
        "vị chịu trách nhiệm hoặc cấp trên; xem xét: cán bộ giám sát, lãnh đạo tỉnh, Sở Nội vụ)."
    )
    template_en = (
        "Finding {finding}: this account may not do that (justify: the head of the responsible "
        "unit or of a unit above it; review: supervisors, province leaders, the Department of "
        "Home Affairs)."
    )


class JustificationStateError(DomainError):
    code = "supervision_justification_state"
    template_vi = (
        "Phát hiện số {finding}: không thực hiện được vì giải trình đang ở trạng thái «{review}»."
    )
    template_en = "Finding {finding}: not possible while its justification is «{review}»."
