"""The actions offered on a dossier's page: which form, which service, when it is offered.

One table, so the page, the POST handler and the tests agree on what exists. Every action ends
in one ledger event through ``congvu.apps.dossiers.services``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congvu.apps.dossiers import forms as f
from congvu.apps.dossiers import services as s
from congvu.apps.dossiers.selectors import DossierView
from congvu.apps.ledger.models import Item
from congvu.apps.organisations.models import Official, Position, Unit

HIDDEN_LEVELS = (Unit.Level.HAMLET, Unit.Level.RESIDENTIAL_GROUP)


@dataclass(frozen=True)
class Action:
    slug: str
    label: Any
    build: Callable[[DossierView, Any], forms.Form]
    run: Callable[[Item, str, dict[str, Any]], object]
    offered: Callable[[DossierView, bool], bool]
    head_only: bool = False
    help: Any = ""


def _units() -> list[Unit]:
    return list(
        Unit.objects.filter(valid_to__isnull=True).exclude(level__in=HIDDEN_LEVELS).order_by("path")
    )


def _officials(view: DossierView) -> list[Official]:
    unit = Unit.objects.filter(code=view.item.unit).first()
    if unit is None:
        return []
    ids = Position.objects.current().filter(unit__path__startswith=unit.path).values("official_id")
    return list(Official.objects.filter(pk__in=ids))


def _steps(view: DossierView):
    return list(view.procedure.steps) if view.procedure else []


def _running(view: DossierView):
    names = {st.code: st for st in _steps(view)}
    running = [st.code for st in view.state.steps if st.ended_at is None]
    return [names.get(code) or _Named(code, code) for code in running]


@dataclass(frozen=True)
class _Named:
    code: str
    name: str


def _is_open(view: DossierView) -> bool:
    return view.state.status == "open"


def _is_live(view: DossierView) -> bool:
    return view.state.status in ("open", "paused")


ACTIONS: list[Action] = [
    Action(
        "giao",
        _("Giao xử lý"),
        lambda v, d: f.AssignForm(d, officials=_officials(v), steps=_steps(v)),
        lambda item, actor, c: s.dossier_assign(
            item, actor=actor, official=c["official"], step=c["step"]
        ),
        lambda v, head: _is_open(v),
    ),
    Action(
        "hoan-thanh-buoc",
        _("Hoàn thành bước"),
        lambda v, d: f.StepForm(d, steps=_running(v)),
        lambda item, actor, c: s.dossier_step_complete(item, actor=actor, step=c["step"]),
        lambda v, head: _is_open(v) and bool(_running(v)),
    ),
    Action(
        "chuyen",
        _("Chuyển đơn vị khác"),
        lambda v, d: f.UnitReasonForm(d, units=_units()),
        lambda item, actor, c: s.dossier_transfer(
            item, actor=actor, to_unit=c["to_unit"], reason=c["reason"]
        ),
        lambda v, head: _is_open(v),
    ),
    Action(
        "xin-y-kien",
        _("Xin ý kiến đơn vị khác"),
        lambda v, d: f.ConsultForm(d, units=_units()),
        lambda item, actor, c: s.dossier_consult(
            item, actor=actor, to_unit=c["to_unit"], due=c["due"]
        ),
        lambda v, head: _is_open(v),
    ),
    Action(
        "tra-loi-y-kien",
        _("Ghi nhận ý kiến trả lời"),
        lambda v, d: f.AnswerForm(
            d, units=[c.to_unit for c in v.state.consultations if c.answered_at is None]
        ),
        lambda item, actor, c: s.dossier_consultation_answer(
            item, actor=actor, from_unit=c["from_unit"]
        ),
        lambda v, head: any(c.answered_at is None for c in v.state.consultations),
    ),
    Action(
        "yeu-cau-bo-sung",
        _("Yêu cầu bổ sung hồ sơ"),
        lambda v, d: f.SupplementForm(d),
        lambda item, actor, c: s.dossier_supplement_request(
            item,
            actor=actor,
            documents=c["documents"],
            reason=c["reason"],
            confirm_repeat=c["confirm_repeat"],
        ),
        lambda v, head: _is_open(v),
        help=_(
            "Thời hạn giải quyết tạm dừng đến khi nhận đủ hồ sơ. Chỉ được yêu cầu bổ sung một lần."
        ),
    ),
    Action(
        "nhan-bo-sung",
        _("Nhận hồ sơ bổ sung"),
        lambda v, d: f.EmptyForm(d),
        lambda item, actor, c: s.dossier_supplement_receive(item, actor=actor),
        lambda v, head: v.state.status == "paused",
    ),
    Action(
        "xin-loi",
        _("Xin lỗi và hẹn lại ngày trả kết quả"),
        lambda v, d: f.ApologyForm(d),
        lambda item, actor, c: s.dossier_apology(
            item, actor=actor, new_due=c["new_due"], reason=c["reason"]
        ),
        lambda v, head: _is_live(v) and v.state.apology_count == 0,
        head_only=True,
        help=_("Chỉ một lần, chậm nhất 1 ngày làm việc trước hạn trả kết quả; do thủ trưởng ký."),
    ),
    Action(
        "ket-qua",
        _("Ghi nhận kết quả giải quyết"),
        lambda v, d: f.ResolveForm(d),
        lambda item, actor, c: s.dossier_resolve(
            item, actor=actor, result=c["result"], text=c["text"]
        ),
        lambda v, head: _is_open(v),
    ),
    Action(
        "tra-ket-qua",
        _("Trả kết quả cho người nộp"),
        lambda v, d: f.EmptyForm(d),
        lambda item, actor, c: s.dossier_return(item, actor=actor),
        lambda v, head: v.state.status == "resolved",
    ),
    Action(
        "danh-gia",
        _("Ghi nhận đánh giá của người nộp"),
        lambda v, d: f.RateForm(d),
        lambda item, actor, c: s.dossier_rate(item, score=c["score"], text=c["text"], actor=actor),
        lambda v, head: v.state.status in ("returned", "resolved") and v.state.rating is None,
    ),
    Action(
        "tu-choi",
        _("Từ chối giải quyết"),
        lambda v, d: f.ReasonForm(d),
        lambda item, actor, c: s.dossier_refuse(item, actor=actor, reason=c["reason"]),
        lambda v, head: _is_open(v),
    ),
    Action(
        "rut",
        _("Người nộp rút hồ sơ"),
        lambda v, d: f.ReasonForm(d),
        lambda item, actor, c: s.dossier_withdraw(item, actor=actor, reason=c["reason"]),
        lambda v, head: _is_live(v),
    ),
]

BY_SLUG = {a.slug: a for a in ACTIONS}
