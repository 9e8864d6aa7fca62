"""How catalog values read on the pages: "3 ngày làm việc", "0,5 ngày làm việc", "50.000 đồng"."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext, ngettext

from congvu.apps.procedures.formats import number_json


def duration_text(unit: str, amount: Decimal | float) -> str:
    """A duration in words in the current language, e.g. "3 ngày làm việc" / "3 working days"."""
    number = number_json(amount)
    shown = formats.number_format(number)
    count = 1 if number == 1 else 2
    if unit == "working_hours":
        text = ngettext("%(amount)s giờ làm việc", "%(amount)s giờ làm việc", count)
    elif unit == "calendar_days":
        text = ngettext("%(amount)s ngày", "%(amount)s ngày", count)
    else:
        text = ngettext("%(amount)s ngày làm việc", "%(amount)s ngày làm việc", count)
    return text % {"amount": shown}


def money_text(amount: Decimal | float) -> str:
    """An amount of đồng grouped by thousands, e.g. "50.000 đồng" ("50,000" in English).

    Django's Vietnamese locale sets no grouping, but amounts of money are always grouped.
    """
    number = number_json(amount)
    whole = f"{int(number):,}".replace(",", formats.get_format("THOUSAND_SEPARATOR") or ".")
    if isinstance(number, float):
        decimals = f"{number:.2f}".split(".")[1].rstrip("0")
        whole += (formats.get_format("DECIMAL_SEPARATOR") or ",") + decimals
    return gettext("%(amount)s đồng") % {"amount": whole}
