"""What staff and applicants do to a dossier. Each action is one event appended through the
ledger (``event_append``), exactly as an external system would send it; the rules that the law
puts on the action itself (one supplement request, an apology at least a working day before
the due moment and only once) are checked here, before anything is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from congvu.apps.dossiers.models import Applicant
from congvu.apps.ledger import clock
from congvu.apps.ledger.context import FoldContext
from congvu.apps.ledger.models import Item
from congvu.apps.ledger.records import item_events
from congvu.apps.ledger.services import dossier_code_issue, event_append
from congvu.domain.errors import DomainError
from congvu.domain.ledger import ItemState, apology_latest, ruleset_for


class ActionRefused(DomainError):
    """The law (or the dossier's state) does not allow this action now."""

    code = "dossier_action_refused"
    template_vi = "{reason_vi}"
    template_en = "{reason_en}"


class SecondSupplementWarning(ActionRefused):
    """A second request for documents is unlawful (Decree 118/2025 art. 5(1)): the screen
    must warn, and records the request as such only if the official confirms."""

    code = "dossier_second_supplement"


def _refuse(vi: str, en: str, cls: type[ActionRefused] = ActionRefused) -> ActionRefused:
    return cls(reason_vi=vi, reason_en=en)


def _iso(moment: dt.datetime) -> str:
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def _append(
    item: Item,
    type_: str,
    *,
    actor: str | None,
    unit: str | None = None,
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> ItemState:
    at = (at or clock.now()).replace(microsecond=0)
    event: dict[str, Any] = {
        "source": item.source,
        "item": item.code,
        "kind": item.kind,
        "at": at.isoformat(),
        "type": type_,
        "unit": unit or item.unit,
        "data": data or {},
    }
    if actor:
        event["actor"] = actor
    return event_append(event)


def _state(item: Item) -> ItemState:
    return FoldContext().fold(item_events(item), as_of=clock.now())


def _require_open(item: Item) -> None:
    if not item.is_open:
        raise _refuse(
            "Hồ sơ đã kết thúc, không thực hiện thao tác này được.",
            "The dossier is finished; this action is not possible.",
        )


@transaction.atomic
def dossier_receive(
    *,
    agency: str,
    actor: str,
    procedure: str,
    channel: str,
    applicant: dict[str, Any],
    documents: list[str],
    at: dt.datetime | None = None,
) -> Item:
    """Receive a dossier at ``agency``'s one-stop counter: a new code, the ``received`` event,
    and the appointment slip's ``appointment_issued`` with the due moment the fold computes."""
    at = (at or clock.now()).replace(microsecond=0)
    code = dossier_code_issue(agency, at.date())
    event_append(
        {
            "item": code,
            "kind": "dossier",
            "at": at.isoformat(),
            "type": "received",
            "unit": agency,
            "actor": actor,
            "data": {"procedure": procedure, "channel": channel},
        }
    )
    item = Item.objects.get(source="local", code=code)
    _append(
        item,
        "appointment_issued",
        actor=actor,
        unit=agency,
        at=at,
        data={"due": _iso(item.due)},  # the slip promises what the ledger computed
    )
    Applicant.objects.create(item=item, documents=documents, **applicant)
    item.refresh_from_db()
    return item


def dossier_assign(item: Item, *, actor: str, official: str, step: str = "") -> ItemState:
    _require_open(item)
    data = {"official": official}
    if step:
        data["step"] = step
    return _append(item, "assigned", actor=actor, data=data)


def dossier_step_complete(item: Item, *, actor: str, step: str) -> ItemState:
    _require_open(item)
    return _append(item, "step_completed", actor=actor, data={"step": step})


def dossier_transfer(item: Item, *, actor: str, to_unit: str, reason: str) -> ItemState:
    _require_open(item)
    if to_unit == item.unit:
        raise _refuse("Hồ sơ đang ở chính đơn vị này.", "The dossier is already with this unit.")
    return _append(item, "transferred", actor=actor, data={"to_unit": to_unit, "reason": reason})


def dossier_consult(item: Item, *, actor: str, to_unit: str, due: dt.datetime) -> ItemState:
    _require_open(item)
    if due <= clock.now():
        raise _refuse("Hạn trả lời phải ở tương lai.", "The answer's due moment must be ahead.")
    return _append(item, "consulted", actor=actor, data={"to_unit": to_unit, "due": _iso(due)})


def dossier_consultation_answer(item: Item, *, actor: str, from_unit: str) -> ItemState:
    state = _state(item)
    if not any(c.to_unit == from_unit and c.answered_at is None for c in state.consultations):
        raise _refuse(
            "Không có yêu cầu xin ý kiến nào đang chờ đơn vị này trả lời.",
            "No consultation is waiting for this unit's answer.",
        )
    return _append(item, "consultation_answered", actor=actor, data={"from_unit": from_unit})


def dossier_supplement_request(
    item: Item, *, actor: str, documents: list[str], reason: str, confirm_repeat: bool = False
) -> ItemState:
    """Ask the applicant for documents; the clock stops. A second request is refused with a
    warning unless ``confirm_repeat``; then it is recorded, marked as acknowledged unlawful."""
    _require_open(item)
    if item.status == Item.Status.PAUSED:
        raise _refuse("Hồ sơ đang chờ bổ sung.", "The dossier is already waiting for documents.")
    if not documents:
        raise _refuse("Cần ghi rõ giấy tờ phải bổ sung.", "List the documents required.")
    data: dict[str, Any] = {"documents": documents, "reason": reason}
    if item.supplement_count >= 1:
        if not confirm_repeat:
            raise _refuse(
                "Hồ sơ này đã được yêu cầu bổ sung một lần. Yêu cầu bổ sung lần thứ hai là trái "
                "quy định (Nghị định 118/2025/NĐ-CP, Điều 5); nếu vẫn thực hiện, yêu cầu sẽ được "
                "ghi nhận là vi phạm.",
                "This dossier was already asked for documents once. A second request is "
                "unlawful (Decree 118/2025, art. 5); if you proceed it is recorded as a breach.",
                SecondSupplementWarning,
            )
        data["repeat_acknowledged"] = True
    return _append(item, "supplement_requested", actor=actor, data=data)


def dossier_supplement_receive(item: Item, *, actor: str) -> ItemState:
    if item.status != Item.Status.PAUSED:
        raise _refuse("Hồ sơ không ở trạng thái chờ bổ sung.", "The dossier is not waiting.")
    return _append(item, "supplement_received", actor=actor, unit=item.agency)


def dossier_refuse(item: Item, *, actor: str, reason: str) -> ItemState:
    _require_open(item)
    if not reason.strip():
        raise _refuse("Cần nêu rõ lý do từ chối.", "A reason is required.")
    return _append(item, "refused", actor=actor, data={"reason": reason})


def dossier_apology(item: Item, *, actor: str, new_due: dt.datetime, reason: str) -> ItemState:
    """The apology with a new appointment: lawful only once and at least the rule set's notice
    (1 working day) before the current due moment; the screen refuses otherwise."""
    _require_open(item)
    ctx = FoldContext()
    events = item_events(item)
    state = ctx.fold(events, as_of=clock.now())
    calendar = ctx.calendar(events[0].unit)
    rs = ruleset_for(state.received_at)
    if state.apology_count >= 1:
        raise _refuse(
            "Hồ sơ đã có một phiếu xin lỗi và hẹn lại; không được hẹn lại lần nữa.",
            "An apology with a new appointment was already issued; a second one is not allowed.",
        )
    latest = apology_latest(rs, calendar, state.due)
    if clock.now() > latest:
        raise _refuse(
            f"Chỉ được xin lỗi và hẹn lại chậm nhất 1 ngày làm việc trước hạn trả kết quả, tức "
            f"trước {latest:%H:%M %d/%m/%Y}.",
            f"An apology must come at least 1 working day before the due moment, i.e. before "
            f"{latest:%H:%M %d/%m/%Y}.",
        )
    if new_due <= state.due:
        raise _refuse(
            "Ngày hẹn mới phải sau hạn hiện tại.", "The new due moment must be after the current."
        )
    if not reason.strip():
        raise _refuse("Cần nêu rõ lý do quá hạn.", "A reason is required.")
    return _append(
        item, "apology_issued", actor=actor, data={"new_due": _iso(new_due), "reason": reason}
    )


def dossier_resolve(item: Item, *, actor: str, result: str, text: str = "") -> ItemState:
    _require_open(item)
    if item.status == Item.Status.PAUSED:
        raise _refuse("Hồ sơ đang chờ bổ sung.", "The dossier is waiting for documents.")
    data = {"result": result}
    if text.strip():
        data["text"] = text.strip()
    return _append(item, "resolved", actor=actor, data=data)


def dossier_return(item: Item, *, actor: str) -> ItemState:
    if item.status != Item.Status.RESOLVED:
        raise _refuse("Hồ sơ chưa có kết quả để trả.", "The dossier has no result to return yet.")
    return _append(item, "returned", actor=actor, unit=item.agency)


def dossier_withdraw(item: Item, *, actor: str | None, reason: str) -> ItemState:
    _require_open(item)
    return _append(item, "withdrawn", actor=actor, unit=item.agency, data={"reason": reason})


def dossier_rate(item: Item, *, score: int, text: str = "", actor: str | None = None) -> ItemState:
    """The applicant's rating (1–5) after the result is returned; once."""
    if item.status not in (Item.Status.RETURNED, Item.Status.RESOLVED):
        raise _refuse(
            "Chỉ đánh giá được sau khi nhận kết quả.", "Rating is possible after the result."
        )
    if item.rating is not None:
        raise _refuse("Hồ sơ này đã được đánh giá.", "This dossier was already rated.")
    if score not in range(1, 6):
        raise _refuse("Điểm đánh giá từ 1 đến 5.", "The score is from 1 to 5.")
    data: dict[str, Any] = {"score": score}
    if text:
        data["text"] = text
    return _append(item, "rated", actor=actor, unit=item.agency, data=data)
