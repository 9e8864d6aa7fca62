"""Admin of the catalog. Saving runs the same domain validation as the import: a procedure
without a valid time limit, or whose steps exceed it, cannot be saved."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from congvu.apps.organisations.models import Unit
from congvu.apps.procedures.formats import number_json
from congvu.apps.procedures.models import Procedure, ProcedureDocument, ProcedureStep
from congvu.apps.procedures.services import procedure_save
from congvu.domain.procedures import (
    CatalogError,
    InvalidDurationError,
    parse_catalog,
    parse_duration,
)


def _lang() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


class LinesField(forms.CharField):
    """A list of strings edited as a text area, one per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class ProcedureForm(forms.ModelForm):
    legal_basis = LinesField(
        label=_("Căn cứ pháp lý"), required=False, help_text=_("Mỗi văn bản một dòng.")
    )
    related_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị liên quan"),
        queryset=Unit.objects.order_by("path"),
        to_field_name="code",
        required=False,
        widget=admin.widgets.FilteredSelectMultiple(_("đơn vị"), is_stacked=False),
        help_text=_("Các đơn vị được lấy ý kiến (ngoài đơn vị giải quyết và đơn vị cấp trên)."),
    )

    class Meta:
        model = Procedure
        fields = [
            "code",
            "name",
            "level",
            "field",
            "is_active",
            "time_limit_amount",
            "time_limit_unit",
            "fee",
            "fee_note",
            "legal_basis",
            "related_units",
            "officials",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["related_units"] = list(self.instance.related_units)

    def clean_related_units(self) -> list[str]:
        return sorted(unit.code for unit in self.cleaned_data["related_units"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        unit, amount = cleaned.get("time_limit_unit"), cleaned.get("time_limit_amount")
        if unit and amount is not None:
            try:
                parse_duration({unit: number_json(amount)})
            except InvalidDurationError as exc:
                self.add_error("time_limit_amount", exc.message(_lang()))
        return cleaned


class StepFormSet(forms.BaseInlineFormSet):
    """Checks the procedure with its steps through the domain parser (the import's check)."""

    def clean(self) -> None:
        super().clean()
        procedure = self.instance
        if any(self.errors) or not procedure.time_limit_unit or procedure.time_limit_amount is None:
            return  # the field errors are shown first
        steps = []
        for form in sorted(self.forms, key=lambda f: f.cleaned_data.get("order") or 0):
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            steps.append(
                {
                    "code": data["code"],
                    "name": data["name"],
                    "role": data["role"],
                    "budget": {data["budget_unit"]: number_json(data["budget_amount"])},
                }
            )
        obj = {
            "code": procedure.code or "—",
            "name": procedure.name or "—",
            "time_limit": {procedure.time_limit_unit: number_json(procedure.time_limit_amount)},
            "steps": steps,
        }
        try:
            parse_catalog([obj])
        except CatalogError as exc:
            lang = _lang()
            raise ValidationError([e.message(lang) for e in exc.errors]) from None


class StepInline(admin.TabularInline):
    model = ProcedureStep
    formset = StepFormSet
    extra = 0
    fields = ["order", "code", "name", "role", "budget_amount", "budget_unit"]


class DocumentInline(admin.TabularInline):
    model = ProcedureDocument
    extra = 0
    fields = ["order", "name", "originals", "copies", "note"]


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    form = ProcedureForm
    list_display = ["code", "name", "level", "field", "time_limit", "is_active"]
    list_filter = ["is_active", "level", "field"]
    search_fields = ["code", "name", "search_text"]
    autocomplete_fields = ["officials"]
    inlines = [StepInline, DocumentInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "level", "field", "is_active"]}),
        (
            _("Thời hạn, phí và căn cứ"),
            {"fields": ["time_limit_amount", "time_limit_unit", "fee", "fee_note", "legal_basis"]},
        ),
        (_("Đơn vị và cán bộ"), {"fields": ["related_units", "officials"]}),
    ]

    @admin.display(description=_("thời hạn giải quyết"))
    def time_limit(self, obj: Procedure) -> str:
        return obj.time_limit_text

    def save_model(self, request: Any, obj: Procedure, form: Any, change: bool) -> None:
        procedure_save(procedure=obj)
