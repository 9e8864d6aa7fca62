"""Admin of the supervision engine. Findings and justifications are read-only here (they are
derived, or are records of who decided what); thresholds are edited with the domain's
validation, so a typo cannot silently change what counts as a violation."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from congvu.apps.supervision.models import Finding, Justification, ThresholdSetting
from congvu.domain.supervision import InvalidThresholdError, Thresholds


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["rule", "item", "unit", "official", "at", "severity", "review", "lapsed_at"]
    list_filter = ["rule", "severity", "review", "ruleset"]
    search_fields = ["item__code", "unit", "official"]
    date_hierarchy = "at"
    list_select_related = ["item"]


@admin.register(Justification)
class JustificationAdmin(ReadOnlyAdmin):
    list_display = ["finding", "status", "submitted_by", "submitted_at", "reviewed_by"]
    list_filter = ["status"]
    list_select_related = ["finding", "submitted_by", "reviewed_by"]


class ThresholdSettingForm(forms.ModelForm):
    class Meta:
        model = ThresholdSetting
        fields = ["procedure", "values", "basis"]

    def clean_values(self):
        values = self.cleaned_data["values"]
        try:
            Thresholds.from_dict(values)
        except InvalidThresholdError as e:
            lang = "en" if (get_language() or "vi").startswith("en") else "vi"
            raise ValidationError(e.message(lang)) from None
        return values


@admin.register(ThresholdSetting)
class ThresholdSettingAdmin(admin.ModelAdmin):
    form = ThresholdSettingForm
    list_display = ["__str__", "values", "basis", "updated_at"]
    search_fields = ["procedure"]
    fieldsets = [
        (
            None,
            {
                "fields": ["procedure", "values", "basis"],
                "description": _(
                    "Khóa hợp lệ: idle_after, bounce_transfers, bounce_on_return, due_soon, "
                    "online_acceptance_within, supplement_request_within, paper_transfer_cutoff, "
                    'apology_notice, apology_max, supplement_max. Ví dụ: {"idle_after": '
                    '{"working_days": 3}}. Khóa không ghi giữ giá trị theo quy định.'
                ),
            },
        )
    ]
