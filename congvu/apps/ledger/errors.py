"""Why an event was not appended, in Vietnamese and English (the domain's DomainError)."""

from __future__ import annotations

from congvu.domain.errors import DomainError


class EventConflictError(DomainError):
    code = "ledger_event_conflict"
    template_vi = (
        "Mục {item}, sự kiện số {seq}: đã có sự kiện số này với nội dung khác; sổ chỉ ghi thêm, "
        "muốn sửa thì gửi một sự kiện mới."
    )
    template_en = (
        "Item {item}, event seq {seq}: an event with this seq and different content is already "
        "stored; the ledger is append-only, send a new event to correct it."
    )


class UnknownProcedureError(DomainError):
    code = "ledger_unknown_procedure"
    template_vi = (
        "Mục {item}: thủ tục {procedure} không có trong danh mục thủ tục, nên không tính được "
        "thời hạn giải quyết."
    )
    template_en = (
        "Item {item}: procedure {procedure} is not in the procedure catalog, so no time limit "
        "can be computed."
    )


class FutureEventError(DomainError):
    code = "ledger_future_event"
    template_vi = "Mục {item}, sự kiện số {seq}: thời điểm {at} ở tương lai."
    template_en = "Item {item}, event seq {seq}: moment {at} is in the future."


class SourceMismatchError(DomainError):
    code = "ledger_source_mismatch"
    template_vi = (
        "Mục {item}: sự kiện của hệ thống «{source}» không được gửi bằng khóa truy cập của hệ "
        "thống «{allowed}»."
    )
    template_en = (
        "Item {item}: events of system “{source}” cannot be sent with the access token of "
        "system “{allowed}”."
    )


class KindMismatchError(DomainError):
    code = "ledger_kind_mismatch"
    template_vi = "Mục {item}, sự kiện số {seq}: loại «{kind}» khác loại của mục («{expected}»)."
    template_en = (
        "Item {item}, event seq {seq}: kind “{kind}” differs from the item's “{expected}”."
    )


class GapError(DomainError):
    code = "ledger_gap"
    template_vi = (
        "Mục {item}, sự kiện số {seq}: còn thiếu sự kiện số {expected}; sự kiện này {held_vi}."
    )
    template_en = (
        "Item {item}, event seq {seq}: event seq {expected} is missing; this event {held_en}."
    )
