from django.contrib import admin

from congvu.apps.jobs.models import PeriodicJob


@admin.register(PeriodicJob)
class PeriodicJobAdmin(admin.ModelAdmin):
    """Read-only: the scheduler writes these rows; an operator reads when each job last ran."""

    list_display = ["name", "enqueued_at", "result_id", "runs"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
