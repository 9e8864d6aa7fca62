"""The official forms of the one-stop-shop regulations, as printable PDF (WeasyPrint).

Which forms exist, their numbers and their titles depend on the rule set the dossier was
received under (domain-vn.md §1.8): Circular 01/2018/TT-VPCP for Decree 61/2018 (rule set
``ND61/2018+107/2021``) and Circular 03/2025/TT-VPCP Appendix I for Decree 118/2025
(``ND118/2025``). The forms are legal documents in Vietnamese, so their bodies are not
translated; only the registry carries English titles for the screens and the API.

What each template follows and what is reconstructed is listed in docs/forms.md.

Use :func:`render_dossier_form` for the forms of one dossier (from
:func:`~congvu.apps.dossiers.selectors.dossier_view`) and :func:`render_tracking_book` for the
book of a unit over a period. Both return the PDF bytes; both refuse clearly (a
:class:`~congvu.domain.errors.DomainError`) rather than print a form that does not apply.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from congvu.apps.dossiers.models import Applicant
from congvu.apps.dossiers.selectors import DossierView
from congvu.apps.ledger.models import Event as EventRow
from congvu.apps.ledger.models import Item
from congvu.apps.organisations.models import Unit
from congvu.apps.organisations.selectors import unit_ancestors
from congvu.apps.procedures.selectors import procedure_catalog
from congvu.domain.calendar import VN_TZ
from congvu.domain.calendar.ops import to_local
from congvu.domain.calendar.text import format_number, weekday_name
from congvu.domain.errors import DomainError
from congvu.domain.ledger import Event, fold_until
from congvu.domain.ledger.clock import running_seconds, shift
from congvu.domain.ledger.rulesets import ruleset_for, supplement_close_at
from congvu.domain.ledger.state import ItemState, Span, StepState
from congvu.domain.procedures.duration import Duration

__all__ = [
    "FORMS",
    "FormNotApplicableError",
    "FormSpec",
    "UnknownFormError",
    "UnknownRulesetError",
    "applicable_forms",
    "render_dossier_form",
    "render_tracking_book",
    "tracking_book_items",
]

# --- errors -------------------------------------------------------------------------------


class UnknownFormError(DomainError):
    code = "form_unknown"
    template_vi = "Không có biểu mẫu «{form}» (có: {known})."
    template_en = "There is no form “{form}” (known: {known})."


class FormNotApplicableError(DomainError):
    code = "form_not_applicable"
    template_vi = "Hồ sơ {item}: không lập {title} (Mẫu số {number}) — {reason_vi}."
    template_en = "Dossier {item}: the {title_en} (form {number}) does not apply — {reason_en}."


class UnknownRulesetError(DomainError):
    code = "form_unknown_ruleset"
    template_vi = "Hồ sơ {item}: chưa có bộ biểu mẫu cho bộ quy tắc {ruleset}."
    template_en = "Dossier {item}: no set of forms for rule set {ruleset}."


# --- rule sets → circulars ----------------------------------------------------------------

ND61 = "ND61"
ND118 = "ND118"


@dataclass(frozen=True, slots=True)
class FormSet:
    """The circular whose appendix gives the forms of one rule set, and the words it uses."""

    family: str
    circular: str
    decree: str
    one_stop: str
    """What the regulation calls the one-stop shop: Decree 61/2018 says "Bộ phận tiếp nhận và
    trả kết quả", Decree 118/2025 art. 3(3) says "Bộ phận Một cửa"."""


FORM_SETS: dict[str, FormSet] = {
    ND61: FormSet(
        ND61,
        "Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ",
        "Nghị định số 61/2018/NĐ-CP",
        "Bộ phận tiếp nhận và trả kết quả",
    ),
    ND118: FormSet(
        ND118,
        # the date of Circular 03/2025 was not found (domain-vn.md §0), so none is printed
        "Thông tư số 03/2025/TT-VPCP của Văn phòng Chính phủ",
        "Nghị định số 118/2025/NĐ-CP",
        "Bộ phận Một cửa",
    ),
}


def ruleset_family(ruleset: str) -> str | None:
    """``ND61`` or ``ND118`` for a rule-set code (a configured variant keeps its code)."""
    if ruleset.startswith("ND61"):
        return ND61
    if ruleset.startswith("ND118"):
        return ND118
    return None


def _form_set(view: DossierView) -> FormSet:
    family = ruleset_family(view.state.ruleset)
    if family is None:
        raise UnknownRulesetError(item=view.item.code, ruleset=view.state.ruleset)
    return FORM_SETS[family]


# --- the registry -------------------------------------------------------------------------


def _events(view: DossierView, type_: str) -> list[Event]:
    return [e for e in view.events if e.type == type_]


def _refusal_event(view: DossierView) -> Event | None:
    """A refusal at receipt or in appraisal (``refused``), or a result that is a refusal
    (Decree 118 art. 19(3): a refusal in appraisal is entered as the result)."""
    for e in reversed(view.events):
        if e.type == "refused" or (e.type == "resolved" and e.data.get("result") == "refused"):
            return e
    return None


def _refused_at_counter(view: DossierView) -> bool:
    """Refused straight at the counter: nothing happened between receipt and refusal, so no
    receipt slip was ever issued (art. 17(1)(c): the slip is for a complete dossier)."""
    return len(view.events) >= 2 and view.events[1].type == "refused"


def _is_dossier(view: DossierView) -> bool:
    # feedback, tasks and recommendations share the ledger but have no one-stop-shop forms
    return view.state.kind == "dossier"


@dataclass(frozen=True, slots=True)
class FormSpec:
    """One form: its titles and numbers per rule set family and when it applies."""

    code: str
    title_en: str
    titles: Mapping[str, str]
    numbers: Mapping[str, str]
    template: str
    applies: Callable[[DossierView], bool] | None
    """Whether the form can be printed for this item (never for an item that is not a
    dossier); ``None``: not a form of one dossier (the tracking book)."""
    reason_vi: str = ""
    reason_en: str = ""
    landscape: bool = False

    def title(self, family: str) -> str:
        return self.titles[family]

    def number(self, family: str) -> str:
        return self.numbers[family]


def _both(value: str) -> dict[str, str]:
    """The same title or number under both rule sets."""
    return {ND61: value, ND118: value}


FORMS: dict[str, FormSpec] = {
    spec.code: spec
    for spec in (
        FormSpec(
            "slip",
            "receipt and appointment slip",
            _both("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
            _both("01"),
            "dossiers/forms/slip.html",
            lambda v: _is_dossier(v) and not _refused_at_counter(v),
            "hồ sơ bị từ chối ngay khi tiếp nhận nên không có giấy hẹn",
            "the dossier was refused at the counter, so no appointment slip was issued",
        ),
        FormSpec(
            "supplement",
            "request to supplement the dossier",
            _both("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
            _both("02"),
            "dossiers/forms/supplement.html",
            lambda v: _is_dossier(v) and bool(_events(v, "supplement_requested")),
            "chưa có yêu cầu bổ sung, hoàn thiện hồ sơ",
            "no supplement was requested",
        ),
        FormSpec(
            "refusal",
            "refusal to receive or process the dossier",
            {
                ND61: "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
                ND118: "Phiếu từ chối giải quyết hồ sơ",
            },
            _both("03"),
            "dossiers/forms/refusal.html",
            lambda v: _is_dossier(v) and _refusal_event(v) is not None,
            "hồ sơ không bị từ chối",
            "the dossier was not refused",
        ),
        FormSpec(
            "apology",
            "apology and new appointment (ND61) / request to extend the time limit (ND118)",
            {
                ND61: "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
                ND118: "Phiếu đề nghị gia hạn thời gian giải quyết",
            },
            _both("04"),
            "dossiers/forms/apology.html",
            lambda v: _is_dossier(v) and bool(_events(v, "apology_issued")),
            "chưa có văn bản xin lỗi, hẹn lại ngày trả kết quả",
            "no apology with a new appointment was issued",
        ),
        FormSpec(
            "control",
            "process control sheet",
            _both("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
            # Circular 03/2025 inserted "Thông báo dừng giải quyết hồ sơ" as form 05
            {ND61: "05", ND118: "06"},
            "dossiers/forms/control.html",
            _is_dossier,
            "mục này không phải hồ sơ thủ tục hành chính",
            "the item is not a dossier",
            landscape=True,
        ),
        FormSpec(
            "book",
            "dossier tracking book",
            _both("Sổ theo dõi hồ sơ"),
            {ND61: "06", ND118: "07"},
            "dossiers/forms/book.html",
            None,
            "sổ theo dõi lập cho một đơn vị và một kỳ, không cho một hồ sơ",
            "the book is made for a unit and a period, not for one dossier",
            landscape=True,
        ),
    )
}


def applicable_forms(view: DossierView) -> list[FormSpec]:
    """The forms that can be printed for this dossier now, in form-number order (for the
    dossier page's print menu)."""
    return [s for s in FORMS.values() if s.applies is not None and s.applies(view)]


# --- formatting ---------------------------------------------------------------------------

DOTS = "…………"


def moment_text(m: dt.datetime | None) -> str:
    """A moment as "Thứ Tư, 05/02/2025 16:55" in Vietnam time; dots when unknown."""
    if m is None:
        return DOTS
    local = to_local(m)
    return f"{weekday_name(local.date())}, {local:%d/%m/%Y %H:%M}"


def short_moment(m: dt.datetime | None) -> str:
    """A moment as "16:55 05/02/2025", for table cells."""
    if m is None:
        return ""
    return f"{to_local(m):%H:%M %d/%m/%Y}"


def date_text(d: dt.date | dt.datetime | None) -> str:
    if d is None:
        return ""
    if isinstance(d, dt.datetime):
        d = to_local(d).date()
    return f"{d:%d/%m/%Y}"


def dateline(place: str, d: dt.date) -> str:
    """The date line, "Hòa Phú, ngày 05 tháng 3 năm 2025". Decree 30/2020 (Appendix I) pads
    days below 10 and the months 1 and 2 with a zero, so that a written date cannot be altered
    by adding a digit; other months are written without one."""
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"{place or DOTS}, ngày {d.day:02d} tháng {month} năm {d.year}"


def duration_text(d: Duration | None) -> str:
    if d is None:
        return ""
    unit = {
        "working_days": "ngày làm việc",
        "working_hours": "giờ làm việc",
        "calendar_days": "ngày",
    }[d.unit]
    return f"{format_number(d.amount)} {unit}"


def working_text(seconds: int, day_seconds: int) -> str:
    """Office time as "1 ngày 2 giờ 30 phút" (a day being the calendar's office day)."""
    if seconds <= 0:
        return "0 phút"
    days, rest = divmod(seconds, day_seconds)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{v} {u}" for v, u in ((days, "ngày"), (hours, "giờ"), (minutes, "phút")) if v]
    return " ".join(parts) or "dưới 1 phút"


# --- the issuing unit ---------------------------------------------------------------------

# What opens a local government's name before the place: "Ủy ban nhân dân xã Hòa Phú".
_BODY = re.compile(r"^(ủy ban nhân dân|uỷ ban nhân dân|ubnd)\s+", re.IGNORECASE)
_LEVEL = re.compile(r"^(đặc khu|thành phố|thị xã|thị trấn|tỉnh|huyện|quận|xã|phường)\s+", re.I)
_PLACE_LEVELS = {"commune", "ward", "special_zone", "district", "province"}


def place_name(unit_name: str) -> str:
    """The place written in the date line from a local government's name: "Ủy ban nhân dân
    xã Hòa Phú" → "Hòa Phú", "UBND tỉnh Minh Sơn (dữ liệu mẫu)" → "Minh Sơn"."""
    name = re.sub(r"\s*\(.*?\)\s*", " ", unit_name).strip()
    return _LEVEL.sub("", _BODY.sub("", name)).strip()


@dataclass(frozen=True, slots=True)
class Issuer:
    """The header's left block: the managing body (upper case), the issuing unit (upper
    case, bold), and the place of the date line."""

    code: str
    name: str
    parent: str
    place: str
    address: str = ""
    phone: str = ""


def issuer_for(code: str) -> Issuer:
    """The issuing unit by code. The place comes from the nearest local government above it
    (or itself); a unit the organisation tree does not know yet still prints, with its code
    and the configured ``CONGVU_FORMS_PLACE`` (empty: dots to fill in by hand)."""
    fallback_place = getattr(settings, "CONGVU_FORMS_PLACE", "")
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        return Issuer(code, code, "", fallback_place)
    chain = [unit, *reversed(unit_ancestors(unit))]
    local_government = next((u for u in chain if u.level in _PLACE_LEVELS), None)
    place = place_name(local_government.name) if local_government else fallback_place
    parent = chain[1].name if len(chain) > 1 else ""
    return Issuer(code, unit.name, parent, place or fallback_place, unit.address, unit.phone)


# --- rendering ----------------------------------------------------------------------------

# Building a font configuration sets up a Pango font map over the installed fonts; keeping
# one saves that on every render. One per thread, because a Pango font map is not meant to be
# shared between threads (a threaded server would otherwise render two forms on one map).
_local = threading.local()


def _fonts() -> FontConfiguration:
    fonts = getattr(_local, "fonts", None)
    if fonts is None:
        fonts = _local.fonts = FontConfiguration()
    return fonts


class _NoFetch(URLFetcher):
    """Forms never load anything: no remote or local URL can be smuggled in through data."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        raise ValueError(f"external resources are not loaded in forms: {url}")


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    html = render_to_string(template, context)
    pdf: bytes | None = HTML(string=html, url_fetcher=_NoFetch()).write_pdf(font_config=_fonts())
    if pdf is None:  # pragma: no cover - write_pdf without a target returns the bytes
        raise RuntimeError("WeasyPrint returned no PDF")
    return pdf


def _lookup_url(explicit: str | None) -> str:
    if explicit:
        return explicit
    base = str(getattr(settings, "CONGVU_PUBLIC_URL", "") or "").rstrip("/")
    return f"{base}/tra-cuu/"


def _documents(applicant: Applicant | None) -> list[str]:
    """The documents handed in, as lines; an entry may be a string or ``{"name", "copies",
    "kind"}`` (original, certified copy…)."""
    if applicant is None:
        return []
    lines = []
    for doc in applicant.documents or []:
        if not isinstance(doc, Mapping):
            lines.append(str(doc))
            continue
        details = [str(doc["kind"])] if doc.get("kind") else []
        if doc.get("copies"):
            details.append(f"{doc['copies']} bản")
        name = str(doc.get("name", ""))
        lines.append(f"{name} ({', '.join(details)})" if details else name)
    return [line for line in lines if line]


def _pick(view: DossierView, forms: FormSet, type_: str, seq: int | None) -> Event:
    """The latest event of ``type_``, or the one numbered ``seq`` (a dossier may have had
    two supplement requests or two apologies, each printable — and each a finding)."""
    events = _events(view, type_)
    if seq is None:
        return events[-1]
    for e in events:
        if e.seq == seq:
            return e
    spec = FORMS[_FORM_OF_EVENT[type_]]
    raise FormNotApplicableError(
        item=view.item.code,
        title=spec.title(forms.family),
        title_en=spec.title_en,
        number=spec.number(forms.family),
        reason_vi=f"sự kiện số {seq} không phải là «{type_}»",
        reason_en=f"event seq {seq} is not a “{type_}” event",
    )


_FORM_OF_EVENT = {"supplement_requested": "supplement", "apology_issued": "apology"}


def render_dossier_form(
    code: str,
    view: DossierView,
    *,
    seq: int | None = None,
    lookup_url: str | None = None,
) -> bytes:
    """The PDF of form ``code`` (a key of :data:`FORMS`) for the dossier in ``view``.

    ``seq`` picks which supplement request or apology to print (default: the latest).
    ``lookup_url``: the citizen lookup page printed on the slip (default:
    ``CONGVU_PUBLIC_URL`` + ``/tra-cuu/``). Raises :class:`UnknownFormError`,
    :class:`FormNotApplicableError` (e.g. a supplement form for a dossier without a
    supplement request, or the book) and :class:`UnknownRulesetError`.
    """
    spec = FORMS.get(code)
    if spec is None:
        raise UnknownFormError(form=code, known=", ".join(FORMS))
    forms = _form_set(view)
    reason = None
    if not _is_dossier(view):
        reason = ("mục này không phải hồ sơ thủ tục hành chính", "the item is not a dossier")
    elif spec.applies is None or not spec.applies(view):
        reason = (spec.reason_vi, spec.reason_en)
    if reason is not None:
        raise FormNotApplicableError(
            item=view.item.code,
            title=spec.title(forms.family),
            title_en=spec.title_en,
            number=spec.number(forms.family),
            reason_vi=reason[0],
            reason_en=reason[1],
        )
    issuers = _Issuers()
    builders: dict[str, Callable[..., dict[str, Any]]] = {
        "slip": _slip,
        "supplement": _supplement,
        "refusal": _refusal,
        "apology": _apology,
        "control": _control,
    }
    context = builders[code](
        view, forms=forms, seq=seq, lookup_url=_lookup_url(lookup_url), issuers=issuers
    )
    context.setdefault("issuer", issuers[view.item.agency])
    context.setdefault("issued_on", to_local(view.state.received_at).date())
    context.update(_common(view, spec, forms, issuers))
    context["dateline"] = dateline(context["issuer"].place, context["issued_on"])
    return _pdf(spec.template, context)


class _Issuers(dict[str, Issuer]):
    """The issuing units one render needs, each read once (two queries per unit)."""

    def __missing__(self, code: str) -> Issuer:
        issuer = self[code] = issuer_for(code)
        return issuer


def _common(view: DossierView, spec: FormSpec, forms: FormSet, issuers: _Issuers) -> dict[str, Any]:
    applicant = view.applicant
    procedure = view.procedure
    return {
        "forms": forms,
        "title": spec.title(forms.family),
        "number": spec.number(forms.family),
        "landscape": spec.landscape,
        "code": view.item.code,
        "applicant": applicant,
        "applicant_name": applicant.name if applicant else DOTS,
        "procedure_name": view.procedure_name,
        "procedure_code": procedure.code if procedure else view.item.procedure,
        "time_limit": duration_text(procedure.time_limit) if procedure else "",
        "one_stop": forms.one_stop,
        "receiving": issuers[view.item.agency],
    }


def _slip_state(view: DossierView) -> tuple[ItemState, dt.datetime | None]:
    """The dossier as the slip saw it: at receipt, or at the supplement's arrival when the
    clock restarted then (a new appointment is given), taking an appointment slip event into
    account — but before any apology, whose new date belongs on the apology form."""
    anchor = to_local(view.state.received_at)
    restarted: dt.datetime | None = None
    for e in view.events:
        if e.type == "apology_issued":
            break
        if e.type == "supplement_received":
            anchor = restarted = to_local(e.at)
        elif e.type == "appointment_issued":
            anchor = max(anchor, to_local(e.at))
    state = fold_until(view.events, calendar=view.calendar, procedure=view.procedure, as_of=anchor)
    return state, restarted


def _slip(view: DossierView, *, forms: FormSet, lookup_url: str, **_: Any) -> dict[str, Any]:
    state, restarted = _slip_state(view)
    received = view.events[0]
    copies = received.data.get("copies")
    return {
        "received_at": moment_text(state.received_at),
        "restarted_at": moment_text(restarted) if restarted else "",
        "due": moment_text(state.due),
        "copies": copies if isinstance(copies, int) and copies > 0 else DOTS,
        "documents": _documents(view.applicant),
        "receiving_official": view.official_name(received.actor) if received.actor else "",
        "secret": view.item.secret,
        "lookup_url": lookup_url,
        "liens": (
            f"Liên 1: lưu tại {forms.one_stop}",
            "Liên 2: giao người nộp hồ sơ",
        ),
    }


def _supplement(
    view: DossierView,
    *,
    forms: FormSet,
    seq: int | None,
    lookup_url: str,
    issuers: _Issuers,
    **_: Any,
) -> dict[str, Any]:
    e = _pick(view, forms, "supplement_requested", seq)
    documents = e.data.get("documents") or ()
    close_at = None
    if forms.family == ND118:
        # Decree 118 art. 19(5) [T]: not completed within 15 days → the dossier is closed;
        # for Decree 61 the period is from memory only (§1.1a [M]), so it is not printed.
        rs = ruleset_for(view.state.received_at)
        close_at = supplement_close_at(rs, view.calendar, to_local(e.at))
    issuer = issuers[e.unit]
    return {
        "issuer": issuer,
        "issued_on": to_local(e.at).date(),
        "requested_documents": [str(d) for d in documents],
        "reason": str(e.data.get("reason", "")),
        "guide": view.official_name(e.actor) if e.actor else "",
        "close_at": moment_text(close_at) if close_at else "",
        "contact_phone": issuer.phone,
        "lookup_url": lookup_url,
    }


def _refusal(view: DossierView, *, issuers: _Issuers, **_: Any) -> dict[str, Any]:
    e = _refusal_event(view)
    if e is None:  # pragma: no cover - the registry checked applicability
        raise AssertionError("refusal form without a refusal")
    reason = e.data.get("reason") if e.type == "refused" else e.data.get("text")
    at_counter = _refused_at_counter(view)
    return {
        "issuer": issuers[e.unit],
        "issued_on": to_local(e.at).date(),
        "received_at": moment_text(view.state.received_at),
        "reason": str(reason or DOTS),
        "at_counter": at_counter,
        "signer_title": "NGƯỜI TIẾP NHẬN HỒ SƠ" if at_counter else "NGƯỜI XỬ LÝ HỒ SƠ",
        "signer": view.official_name(e.actor) if e.actor else "",
    }


def _apology(
    view: DossierView, *, forms: FormSet, seq: int | None, issuers: _Issuers, **_: Any
) -> dict[str, Any]:
    e = _pick(view, forms, "apology_issued", seq)
    apology = next((a for a in view.state.apologies if a.seq == e.seq), None)
    return {
        "issuer": issuers[e.unit],
        "issued_on": to_local(e.at).date(),
        "received_on": date_text(view.state.received_at),
        "previous_due": moment_text(apology.previous_due if apology else None),
        "new_due": moment_text(e.moment("new_due")),
        "reason": str(e.data.get("reason", "")),
        "signer": view.official_name(e.actor) if e.actor else "",
    }


# --- the process control sheet ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Handover:
    """One row of the process control sheet: who handed the dossier to whom, when, for which
    step, against which limit, how long the receiver held it and whether that was on time."""

    number: int
    at: dt.datetime
    giver: str
    receiver: str
    step: str
    allowed: str
    held: str
    result: str
    note: str = ""

    @property
    def at_text(self) -> str:
        return short_moment(self.at)


ON_TIME, EARLY, LATE, RUNNING = "Đúng hạn", "Trước hạn", "Quá hạn", "Đang giải quyết"


def _judge(ended: dt.datetime | None, deadline: dt.datetime | None, late: bool) -> str:
    """The circular's three words for a result: finished on a day before the deadline's day
    is "Trước hạn", on that day and not after the deadline "Đúng hạn", after it "Quá hạn"."""
    if ended is None:
        return f"{RUNNING}, đã {LATE.lower()}" if late else RUNNING
    if late:
        return LATE
    if deadline is not None and to_local(ended).date() < to_local(deadline).date():
        return EARLY
    return ON_TIME


def _holder(view: DossierView, span: Span) -> str:
    unit = view.unit_name(span.unit)
    return f"{unit} — {view.official_name(span.official)}" if span.official else unit


def _step_at(state: ItemState, span: Span, code: str | None) -> StepState | None:
    """The step a hand-over was for: the one its assignment names, else the step running when
    the span began (the receiver's own, if several run at once)."""
    if code:
        return next((s for s in state.steps if s.code == code), None)
    running = [
        s
        for s in state.steps
        if s.started_at <= span.start and (s.ended_at is None or s.ended_at > span.start)
    ]
    mine = [s for s in running if s.official == span.official]
    candidates = mine or running
    return candidates[-1] if candidates else None


def _span_openers(view: DossierView) -> list[Event]:
    return [e for e in view.events if e.type in {"received", "assigned", "transferred", "reopened"}]


def control_rows(view: DossierView) -> list[Handover]:
    """The hand-overs of the dossier from its events (docs/forms.md, form 05/06)."""
    state, cal = view.state, view.calendar
    pauses = [(p.start, p.end) for p in state.pauses]
    openers = _span_openers(view)
    used: set[int] = set()
    rows: list[Handover] = []
    for i, span in enumerate(state.responsible):
        event = next(
            (e for e in openers if e.seq not in used and to_local(e.at) == span.start), None
        )
        if event is not None:
            used.add(event.seq)
        data = event.data if event is not None else {}
        step = _step_at(
            state, span, data.get("step") if isinstance(data.get("step"), str) else None
        )
        end = span.end
        held = running_seconds(cal, span.start, end or state.as_of, pauses)
        explicit_due = (
            event.moment("due") if event is not None and event.type == "assigned" else None
        )
        note = ""
        if explicit_due is not None:
            deadline = to_local(explicit_due)
            allowed = f"đến {short_moment(deadline)}"
            result = _judge(end, deadline, (end or state.as_of) > deadline)
        elif step is not None and step.budget is not None:
            allowed = duration_text(step.budget)
            deadline = None
            finished = step.ended_at or state.finished_at
            if step.budget_seconds is not None and finished is not None:
                # the step's deadline, pauses included: its end plus the budget it had left
                remaining = step.budget_seconds - step.working_seconds
                if remaining >= 0:
                    deadline = shift(cal, finished, remaining)
            # a step left open when the dossier finished ends with it
            step_end = step.ended_at or state.finished_at
            if end is not None and (step_end is None or step_end > end):
                # handed on in the middle of the step: the step is judged at its end, on the
                # official who held it last (the fold's attribution rule)
                result, note = "", "Chuyển tiếp trong bước"
            else:
                result = _judge(step_end, deadline, step.over_budget)
        else:
            allowed = f"hạn chung {short_moment(state.due)}"
            result = _judge(end, state.due, (end or state.as_of) > state.due)
        if event is not None and event.type == "transferred":
            note = "; ".join(
                x for x in (note, f"Lý do chuyển: {event.data.get('reason', '')}") if x
            )
        for p in state.pauses:
            if span.start <= p.start and (end is None or p.start < end):
                until = f" đến {short_moment(p.end)}" if p.end else ""
                note = "; ".join(
                    x for x in (note, f"Chờ bổ sung từ {short_moment(p.start)}{until}") if x
                )
        rows.append(
            Handover(
                number=i + 1,
                at=span.start,
                giver=_holder(view, state.responsible[i - 1]) if i else _applicant_label(view),
                receiver=_holder(view, span),
                step=_step_name(view, step),
                allowed=allowed,
                held=working_text(held, cal.day_seconds),
                result=result,
                note=note,
            )
        )
    return rows + _closing_rows(view, len(rows))


def _applicant_label(view: DossierView) -> str:
    return f"Người nộp hồ sơ: {view.applicant.name}" if view.applicant else "Người nộp hồ sơ"


def _step_name(view: DossierView, step: StepState | None) -> str:
    if step is None:
        return ""
    spec = view.procedure.step(step.code) if view.procedure else None
    return spec.name if spec else step.code


def _closing_rows(view: DossierView, count: int) -> list[Handover]:
    """The result going back to the one-stop shop and to the applicant."""
    state = view.state
    last = state.responsible[-1] if state.responsible else None
    one_stop = view.unit_name(view.item.agency)
    rows: list[Handover] = []
    labels = {
        "resolved": "Kết quả giải quyết",
        "refused": "Từ chối giải quyết",
        "withdrawn": "Người nộp rút hồ sơ",
        "returned": "Trả kết quả cho người nộp",
    }
    for e in view.events:
        if e.type not in labels:
            continue
        at = to_local(e.at)
        if e.type == "returned":
            giver = one_stop
            receiver = view.applicant.name if view.applicant else "Người nộp hồ sơ"
            result = ""
        else:
            giver = _holder(view, last) if last else view.unit_name(e.unit)
            receiver = one_stop
            result = _judge(at, state.due, at > state.due)
        rows.append(
            Handover(
                number=count + len(rows) + 1,
                at=at,
                giver=giver,
                receiver=receiver,
                step=labels[e.type],
                allowed=f"hạn {short_moment(state.due)}" if e.type != "returned" else "",
                held="",
                result=result,
                note=str(e.data.get("reason") or e.data.get("text") or ""),
            )
        )
    return rows


def _control(view: DossierView, **_: Any) -> dict[str, Any]:
    state = view.state
    # the first transfer hands the dossier to the competent unit; later transfers and
    # consultations bring in the units that coordinate (the sheet's two header lines)
    handling = state.transfer_path[1] if len(state.transfer_path) > 1 else state.unit
    coordinating = sorted(
        ({c.to_unit for c in state.consultations} | set(state.transfer_path[2:]))
        - {view.item.agency, handling}
    )
    if state.finished_at is not None:
        overall = _judge(state.finished_at, state.due, state.late)
    else:
        overall = _judge(None, state.due, state.overdue)
    return {
        "rows": control_rows(view),
        "received_at": moment_text(state.received_at),
        "due": moment_text(state.due),
        "handling_unit": view.unit_name(handling),
        "coordinating": [view.unit_name(u) for u in coordinating],
        "overall": overall,
        "lateness": (
            working_text(state.lateness_seconds, view.calendar.day_seconds) if state.late else ""
        ),
        "printed_at": moment_text(view.now),
    }


# --- the tracking book --------------------------------------------------------------------


@dataclass
class BookRow:
    number: int
    code: str
    procedure: str
    copies: str
    applicant: str
    contact: str
    handling_unit: str
    received_at: str
    due: str
    transferred_at: str
    result_at: str
    returned_at: str
    note: str
    late: bool


@dataclass
class _ItemFacts:
    transferred_at: dt.datetime | None = None
    to_unit: str = ""
    returned_at: dt.datetime | None = None
    copies: int | None = None


def tracking_book_items(*, unit: Unit, start: dt.date, end: dt.date) -> QuerySet[Item]:
    """The dossiers the unit received from ``start`` to ``end`` (inclusive, Vietnam days) —
    what its book lists."""
    lo = dt.datetime(start.year, start.month, start.day, tzinfo=VN_TZ)
    hi = dt.datetime(end.year, end.month, end.day, tzinfo=VN_TZ) + dt.timedelta(days=1)
    return Item.objects.filter(
        kind="dossier", agency=unit.code, received_at__gte=lo, received_at__lt=hi
    ).order_by("received_at", "code")


_STATUS_NOTE = {
    Item.Status.OPEN: "Đang giải quyết",
    Item.Status.PAUSED: "Chờ bổ sung",
    Item.Status.RESOLVED: "Đã có kết quả",
    Item.Status.RETURNED: "Đã trả kết quả",
    Item.Status.REFUSED: "Từ chối",
    Item.Status.WITHDRAWN: "Rút hồ sơ",
    Item.Status.CLOSED: "Kết thúc do không bổ sung",
}


def book_rows(items: Iterable[Item], now: dt.datetime) -> list[BookRow]:
    """One row per dossier, in receipt order, from the summary rows plus three queries
    (applicants, the transfer/return/receipt events, unit names) and the catalog."""
    items = sorted(items, key=lambda i: (i.received_at, i.code))
    ids = [i.pk for i in items]
    applicants = {a.item_id: a for a in Applicant.objects.filter(item_id__in=ids)}
    facts: dict[int, _ItemFacts] = {pk: _ItemFacts() for pk in ids}
    events = (
        EventRow.objects.filter(item_id__in=ids, type__in=("received", "transferred", "returned"))
        .order_by("item_id", "seq")
        .values("item_id", "type", "at", "data")
    )
    for e in events:
        f = facts[e["item_id"]]
        if e["type"] == "transferred" and f.transferred_at is None:
            # the first transfer is the hand-over to the competent agency
            f.transferred_at, f.to_unit = e["at"], str(e["data"].get("to_unit", ""))
        elif e["type"] == "returned":
            f.returned_at = e["at"]
        elif e["type"] == "received":
            copies = e["data"].get("copies")
            f.copies = copies if isinstance(copies, int) else None
    units = {f.to_unit for f in facts.values()} | {i.unit for i in items}
    unit_names = dict(Unit.objects.filter(code__in=units).values_list("code", "name"))
    catalog = procedure_catalog({i.procedure for i in items if i.procedure})
    procedures = {code: p.name for code, p in catalog.items()}
    rows = []
    for n, item in enumerate(items, start=1):
        f = facts[item.pk]
        applicant = applicants.get(item.pk)
        handling = f.to_unit or item.unit
        status = Item.Status(item.status)
        late = item.late or (item.is_open and item.due < now)
        note = _STATUS_NOTE[status] + (", quá hạn" if late else "")
        rows.append(
            BookRow(
                number=n,
                code=item.code,
                procedure=procedures.get(item.procedure, item.procedure),
                copies=str(f.copies) if f.copies else "",
                applicant=applicant.name if applicant else "",
                contact=", ".join(x for x in (applicant.address, applicant.phone) if x)
                if applicant
                else "",
                handling_unit=unit_names.get(handling, handling),
                received_at=short_moment(item.received_at),
                due=short_moment(item.due),
                transferred_at=short_moment(f.transferred_at),
                result_at=short_moment(item.finished_at)
                if status in (Item.Status.RESOLVED, Item.Status.RETURNED)
                else "",
                returned_at=short_moment(f.returned_at),
                note=note,
                late=late,
            )
        )
    return rows


def render_tracking_book(
    *,
    unit: Unit,
    items: Iterable[Item],
    start: dt.date,
    end: dt.date,
    now: dt.datetime,
    ruleset: str | None = None,
) -> bytes:
    """The tracking book (Sổ theo dõi hồ sơ) of ``unit`` for ``start``–``end``: one row per
    item given (see :func:`tracking_book_items` for the usual selection). The form's number
    follows ``ruleset`` (default: the rule set in force at ``end``)."""
    if ruleset is None:
        last_day = dt.datetime(end.year, end.month, end.day, 23, 59, tzinfo=VN_TZ)
        ruleset = ruleset_for(last_day).code
    family = ruleset_family(ruleset)
    if family is None:
        raise UnknownRulesetError(item=unit.code, ruleset=ruleset)
    spec, forms = FORMS["book"], FORM_SETS[family]
    rows = book_rows(items, now)
    issuer = issuer_for(unit.code)
    return _pdf(
        spec.template,
        {
            "forms": forms,
            "title": spec.title(family),
            "number": spec.number(family),
            "landscape": True,
            "issuer": issuer,
            "dateline": dateline(issuer.place, to_local(now).date()),
            "rows": rows,
            "start": date_text(start),
            "end": date_text(end),
            "total": len(rows),
            "late": sum(1 for r in rows if r.late),
            "printed_at": moment_text(now),
        },
    )
