"""``{% item_findings item %}``: the findings of a work item, for the dossier page."""

from __future__ import annotations

from django import template

from congvu.apps.supervision.selectors import findings_of_item
from congvu.domain.supervision import RULES

register = template.Library()


@register.inclusion_tag("supervision/_item_findings.html", takes_context=True)
def item_findings(context, item):
    lang = "en" if str(context.get("LANGUAGE_CODE", "vi")).startswith("en") else "vi"
    rows = [
        (f, RULES[f.rule].title(lang) if f.rule in RULES else f.rule)
        for f in findings_of_item(item.pk)
    ]
    return {"rows": rows, "item": item}
