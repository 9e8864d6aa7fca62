"""Template filters of the dashboards: ``{{ row.on_time|rate }}``, ``{{ x|pct }}``,
``{{ x|num }}``, ``{{ x|num:0 }}``."""

from __future__ import annotations

from django import template

from congvu.apps.dashboards import display

register = template.Library()


@register.filter
def rate(value):
    return display.rate_text(value)


@register.filter
def pct(value):
    return display.percent(value)


@register.filter
def num(value, places=1):
    return display.number(value, int(places))


@register.filter
def raw(value):
    """A number for ``data-value`` attributes (charts): dot decimal, never localised."""
    if value is None or value == "":  # no sample: nothing to plot
        return ""
    return f"{float(value):.6g}"


@register.filter
def raw_pct(value):
    """A fraction as a percentage number for charts (``0.875`` → ``87.5``)."""
    if value is None or value == "":  # no sample: nothing to plot
        return ""
    return f"{float(value) * 100:.4g}"
