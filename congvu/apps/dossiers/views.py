"""Dossier screens: the queue, receipt, the dossier page with its actions and forms, and the
citizen's lookup. Thin: reads through selectors/permissions, writes through services."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from congvu.apps.dossiers import forms as f
from congvu.apps.dossiers.actions import ACTIONS, BY_SLUG
from congvu.apps.dossiers.display import (
    CHANNELS,
    EVENT_TYPES,
    due_explanation,
    urgency,
    working_text,
)
from congvu.apps.dossiers.permissions import (
    dossiers_visible,
    is_head_over,
    official_of,
    receiving_units,
)
from congvu.apps.dossiers.selectors import DossierView, dossier_view
from congvu.apps.dossiers.services import ActionRefused, dossier_rate, dossier_receive
from congvu.apps.ledger import clock
from congvu.apps.ledger.context import FoldContext
from congvu.apps.ledger.models import Item
from congvu.apps.ledger.records import item_events
from congvu.apps.organisations.permissions import visible_units
from congvu.domain.errors import DomainError

LOOKUP_LIMIT = 10  # attempts per address per window: enough for typos, too few to guess
LOOKUP_WINDOW = 600


def _lang() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Open dossiers by time left: the user's own, or all of their units (``?pham-vi=don-vi``)."""
    official = official_of(request.user)
    scope = request.GET.get("pham-vi", "cua-toi" if official else "don-vi")
    items = dossiers_visible(request.user).filter(status__in=Item.OPEN_STATUSES)
    if scope == "cua-toi":
        items = items.filter(official=official.code if official else "")
    q = request.GET.get("q", "").strip()
    if q:
        items = items.filter(code__icontains=q)
    # Open before paused ("open" < "paused"): a paused dossier's due moves when it resumes.
    page = Paginator(items.order_by("status", "due", "pk"), 50).get_page(request.GET.get("trang"))
    now = clock.now()
    ctx = FoldContext()
    ctx.prepare(units={i.agency for i in page})
    rows = [(i, urgency(ctx.calendar(i.agency), now, i.due)) for i in page]
    return render(
        request,
        "dossiers/queue.html",
        {
            "page": page,
            "rows": rows,
            "scope": scope,
            "q": q,
            "official": official,
            "can_receive": bool(receiving_units(request.user)),
            "now": now,
        },
    )


@login_required
def receive(request: HttpRequest) -> HttpResponse:
    from congvu.apps.procedures.models import Procedure

    agencies = receiving_units(request.user)
    official = official_of(request.user)
    if not agencies or official is None:
        raise Http404(_("Bạn không có vị trí tiếp nhận hồ sơ."))
    procedures = Procedure.objects.filter(is_active=True).order_by("name")
    form = f.ReceiveForm(request.POST or None, agencies=agencies, procedures=procedures)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            item = dossier_receive(
                agency=c["agency"],
                actor=official.code,
                procedure=c["procedure"],
                channel=c["channel"],
                applicant={k: c[k] for k in ("name", "id_number", "phone", "email", "address")},
                documents=c["documents"],
            )
        except DomainError as e:
            form.add_error(None, e.message(_lang()))
        else:
            messages.success(
                request,
                _(
                    "Đã tiếp nhận hồ sơ %(code)s. In giấy tiếp nhận và hẹn trả kết quả "
                    "cho người nộp."
                )
                % {"code": item.code},
            )
            return redirect("dossiers:detail", source=item.source, code=item.code)
    return render(request, "dossiers/receive.html", {"form": form})


@login_required
@require_GET
def receive_documents(request: HttpRequest) -> HttpResponse:
    """htmx: the required documents of the chosen procedure, pre-filled in the textarea."""
    from congvu.apps.procedures.models import ProcedureDocument

    names = ProcedureDocument.objects.filter(
        procedure__code=request.GET.get("procedure", "")
    ).order_by("order", "pk")
    return HttpResponse(
        "\n".join(names.values_list("name", flat=True)), content_type="text/plain; charset=utf-8"
    )


def _dossier(request: HttpRequest, source: str, code: str) -> Item:
    return get_object_or_404(dossiers_visible(request.user), source=source, code=code)


def _timeline(view: DossierView) -> list[dict]:
    steps = {st.code: st.name for st in view.procedure.steps} if view.procedure else {}
    rows = []
    for e in view.events:
        d = e.data
        bits = []
        if "official" in d:
            bits.append(view.official_name(str(d["official"])))
        if "step" in d:
            bits.append(_("bước %(s)s") % {"s": steps.get(str(d["step"]), d["step"])})
        for key in ("to_unit", "from_unit"):
            if key in d:
                bits.append("→ " + view.unit_name(str(d[key])))
        for key in ("due", "new_due"):
            if (m := e.moment(key)) is not None:
                bits.append(_("hạn %(m)s") % {"m": m.strftime("%H:%M %d/%m/%Y")})
        if "channel" in d:
            bits.append(str(CHANNELS.get(str(d["channel"]), d["channel"])))
        if "documents" in d:
            bits.append("; ".join(map(str, d["documents"])))
        for key in ("reason", "text", "result"):
            if d.get(key):
                bits.append(str(d[key]))
        if "score" in d:
            bits.append(_("%(n)s/5 điểm") % {"n": d["score"]})
        rows.append(
            {
                "event": e,
                "label": EVENT_TYPES.get(e.type, e.type),
                "unit": view.unit_name(e.unit),
                "actor": view.official_name(e.actor),
                "details": " · ".join(bits),
            }
        )
    return rows


def _control_sheet(view: DossierView) -> list[dict]:
    names = {st.code: st.name for st in view.procedure.steps} if view.procedure else {}
    return [
        {
            "step": names.get(st.code, st.code),
            "unit": view.unit_name(st.unit),
            "official": view.official_name(st.official),
            "start": st.started_at,
            "end": st.ended_at,
            "used": working_text(st.working_seconds),
            "budget": working_text(st.budget_seconds) if st.budget_seconds is not None else "—",
            "over": st.over_budget,
        }
        for st in view.state.steps
    ]


@login_required
def detail(request: HttpRequest, source: str, code: str) -> HttpResponse:
    item = _dossier(request, source, code)
    view = dossier_view(item)
    head = is_head_over(request.user, item.unit)
    actor = official_of(request.user)
    offered = [
        (a, _build(a, view, None))
        for a in ACTIONS
        if actor is not None and a.offered(view, head) and (head or not a.head_only)
    ]
    return render(
        request,
        "dossiers/detail.html",
        _detail_context(view, offered, head) | {"forms_pdf": _printable(view)},
    )


def _build(action, view: DossierView, data):
    form = action.build(view, data)
    form.auto_id = f"id_{action.slug}_%s"  # many forms on one page: ids must stay unique
    return form


def _detail_context(view: DossierView, offered, head: bool) -> dict:
    state = view.state
    return {
        "view": view,
        "item": view.item,
        "state": state,
        "urgency": urgency(view.calendar, view.now, state.due)
        if state.status in ("open", "paused")
        else None,
        "explanation": due_explanation(state, view.calendar, view.procedure, _lang()),
        "timeline": _timeline(view),
        "control": _control_sheet(view),
        "holders": [
            {
                "unit": view.unit_name(sp.unit),
                "official": view.official_name(sp.official),
                "start": sp.start,
                "end": sp.end,
            }
            for sp in state.responsible
        ],
        "actions": offered,
        "is_head": head,
        "channel": CHANNELS.get(state.channel or "", state.channel),
        "agency_name": view.unit_name(view.item.agency),
        "holder": " — ".join(
            x for x in (view.unit_name(state.unit), view.official_name(state.official)) if x
        ),
        "late_text": working_text(state.lateness_seconds),
    }


def _printable(view: DossierView) -> list[tuple[str, str]]:
    from congvu.apps.dossiers.pdf import applicable_forms, ruleset_family

    family = ruleset_family(view.state.ruleset)
    if family is None:  # a rule set without a form set: nothing to print, never a crash
        return []
    if _lang() == "en":
        return [(spec.code, spec.title_en.capitalize()) for spec in applicable_forms(view)]
    return [(spec.code, spec.title(family)) for spec in applicable_forms(view)]


@login_required
@require_POST
def act(request: HttpRequest, source: str, code: str, action: str) -> HttpResponse:
    item = _dossier(request, source, code)
    spec = BY_SLUG.get(action)
    actor = official_of(request.user)
    if spec is None or actor is None:
        raise Http404
    view = dossier_view(item)
    head = is_head_over(request.user, item.unit)
    if not spec.offered(view, head) or (spec.head_only and not head):
        messages.error(
            request, _("Thao tác này không thực hiện được với hồ sơ ở trạng thái hiện tại.")
        )
        return redirect("dossiers:detail", source=source, code=code)
    form = _build(spec, view, request.POST)
    if form.is_valid():
        try:
            spec.run(item, actor.code, form.cleaned_data)
        except ActionRefused as e:
            form.add_error(None, e.message(_lang()))
        except DomainError as e:
            form.add_error(None, e.message(_lang()))
        else:
            messages.success(request, _("Đã ghi nhận: %(a)s.") % {"a": spec.label})
            return redirect("dossiers:detail", source=source, code=code)
    offered = [
        (a, form if a is spec else a.build(view, None))
        for a in ACTIONS
        if a.offered(view, head) and (head or not a.head_only)
    ]
    context = _detail_context(view, offered, head) | {
        "forms_pdf": _printable(view),
        "failed": spec.slug,
    }
    return render(request, "dossiers/detail.html", context, status=400)


@login_required
@require_GET
def print_form(request: HttpRequest, source: str, code: str, form: str) -> HttpResponse:
    from congvu.apps.dossiers.pdf import FORMS, render_dossier_form

    item = _dossier(request, source, code)
    view = dossier_view(item)
    spec = FORMS.get(form)
    if spec is None or spec.applies is None or not spec.applies(view):
        raise Http404
    seq = request.GET.get("seq", "")
    try:
        pdf = render_dossier_form(
            form,
            view,
            seq=int(seq) if seq.isdigit() else None,
            lookup_url=request.build_absolute_uri(reverse("dossiers:lookup")),
        )
    except DomainError as e:
        raise Http404(e.message(_lang())) from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{item.code}-{form}.pdf"'
    return response


BOOK_MAX_DAYS = 31  # a month prints in seconds; longer books belong in a background job


@login_required
@require_GET
def tracking_book(request: HttpRequest, code: str) -> HttpResponse:
    """The unit's tracking book (Sổ theo dõi hồ sơ) for ``?tu=dd/mm/yyyy&den=dd/mm/yyyy``
    (default: this month so far), at most a month."""
    from congvu.apps.dossiers.pdf import render_tracking_book, tracking_book_items

    unit = get_object_or_404(visible_units(request.user), code=code)
    today = clock.now().date()
    try:
        start = _day(request.GET.get("tu")) or today.replace(day=1)
        end = _day(request.GET.get("den")) or today
    except ValueError:
        raise Http404(_("Ngày không hợp lệ (dạng dd/mm/yyyy).")) from None
    if end < start or (end - start).days >= BOOK_MAX_DAYS:
        raise Http404(_("Kỳ của sổ theo dõi tối đa 31 ngày."))
    pdf = render_tracking_book(
        unit=unit,
        items=tracking_book_items(unit=unit, start=start, end=end),
        start=start,
        end=end,
        now=clock.now(),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="so-theo-doi-{unit.code}.pdf"'
    return response


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    return dt.datetime.strptime(text, "%d/%m/%Y").date()  # noqa: DTZ007 — a date, not a moment


# --- The citizen's lookup (public) ---------------------------------------------------------


def _client(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "?")


def lookup(request: HttpRequest) -> HttpResponse:
    """Dossier code + the secret on the slip → status, due moment, current step. A wrong pair
    and an unknown code get the same message; attempts per address are limited."""
    form = f.LookupForm(request.POST or None)
    found = None
    if request.method == "POST":
        key = f"congvu:lookup:{_client(request)}"
        cache.add(key, 0, LOOKUP_WINDOW)
        attempts = cache.incr(key)
        if attempts > LOOKUP_LIMIT:
            form.add_error(None, _("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau 10 phút."))
            return render(request, "dossiers/lookup.html", {"form": form}, status=429)
        if form.is_valid():
            c = form.cleaned_data
            found = Item.objects.filter(kind="dossier", code=c["code"], secret=c["secret"]).first()
            if found is None:
                form.add_error(None, _("Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu đã nhập."))
            else:
                request.session["congvu_lookup"] = found.pk
                return redirect("dossiers:lookup_result")
    return render(request, "dossiers/lookup.html", {"form": form})


def lookup_result(request: HttpRequest) -> HttpResponse:
    pk = request.session.get("congvu_lookup")
    item = Item.objects.filter(pk=pk, kind="dossier").first() if pk else None
    if item is None:
        return redirect("dossiers:lookup")
    rate_form = f.RateForm(request.POST or None)
    if request.method == "POST" and rate_form.is_valid():
        try:
            dossier_rate(
                item, score=rate_form.cleaned_data["score"], text=rate_form.cleaned_data["text"]
            )
        except DomainError as e:
            rate_form.add_error(None, e.message(_lang()))
        else:
            messages.success(request, _("Cảm ơn ông/bà đã đánh giá."))
            return redirect("dossiers:lookup_result")
        item.refresh_from_db()
    ctx = FoldContext()
    events = item_events(item)
    state = ctx.fold(events, as_of=clock.now())
    procedure = ctx.procedure(item.procedure)
    steps = {st.code: st.name for st in procedure.steps} if procedure else {}
    return render(
        request,
        "dossiers/lookup_result.html",
        {
            "item": item,
            "state": state,
            "procedure": procedure,
            "step": steps.get(item.step, item.step),
            "can_rate": state.status in ("returned", "resolved") and state.rating is None,
            "rate_form": rate_form,
        },
    )
