from django.contrib import admin

from congvu.apps.organisations.models import Official, Position, Unit, UnitLineage
from congvu.apps.organisations.services import unit_save


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    autocomplete_fields = ["unit"]
    fields = ["unit", "title", "role", "start_on", "end_on", "decision"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "valid_from", "valid_to", "calendar"]
    list_filter = ["level", "oversees_province", "calendar"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["depth"]

    def save_model(self, request, obj, form, change):
        unit_save(unit=obj)


@admin.register(UnitLineage)
class UnitLineageAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "kind", "effective_on", "legal_basis"]
    list_filter = ["kind"]
    autocomplete_fields = ["predecessor", "successor"]
    search_fields = ["predecessor__name", "successor__name", "legal_basis"]


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    list_display = ["code", "full_name", "email", "phone", "user"]
    search_fields = ["code", "full_name", "email"]
    raw_id_fields = ["user"]
    inlines = [PositionInline]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["official", "title", "role", "unit", "start_on", "end_on"]
    list_filter = ["role"]
    search_fields = ["official__full_name", "unit__name", "title"]
    autocomplete_fields = ["official", "unit"]
    date_hierarchy = "start_on"
