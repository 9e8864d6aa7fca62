"""Admin of the notices: read-only (they are records of who was told what and when); an
operator looks here for e-mails that keep failing."""

from __future__ import annotations

from django.contrib import admin

from congvu.apps.alerts.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "official", "unit", "moment", "emailed_at", "read_at"]
    list_filter = ["kind", "email_attempts"]
    search_fields = ["title", "official__code", "official__full_name", "unit", "email"]
    date_hierarchy = "created_at"
    list_select_related = ["official"]
    raw_id_fields = ["item", "finding", "official"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
