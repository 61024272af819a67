"""Template filters of the public pages: won and dates in the page's language, withheld figures."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.translation import get_language, gettext

from baesang.core.formatting import format_date, format_won, format_won_readable

register = template.Library()


def _lang() -> str:
    return "en" if (get_language() or "ko").startswith("en") else "ko"


@register.filter
def won(amount: int | None) -> str:
    """``1,234원`` / ``KRW 1,234``; an empty string for a withheld figure."""
    return "" if amount is None else format_won(int(amount), _lang())


@register.filter
def won_readable(amount: int | None) -> str:
    return "" if amount is None else format_won_readable(int(amount), _lang())


@register.filter
def day(value: date | None) -> str:
    return "" if value is None else format_date(value, _lang())


@register.filter
def claims(figure) -> str:
    """The count of a figure, or "withheld" — alike for a count of fewer than five claims and
    for one withheld so that it cannot be worked out by subtraction."""
    if figure.withheld:
        return gettext("withheld")
    return f"{figure.count:,}"
