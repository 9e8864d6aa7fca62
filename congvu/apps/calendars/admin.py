from django.contrib import admin

from congvu.apps.calendars.models import Calendar, CalendarDay


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0
    fields = ["day", "kind", "name", "source", "estimated"]


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "base", "first_year", "last_year"]
    search_fields = ["code", "name"]
    inlines = [CalendarDayInline]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["day", "kind", "name", "calendar", "estimated", "source"]
    list_filter = ["calendar", "kind", "estimated"]
    search_fields = ["name", "source"]
    date_hierarchy = "day"
