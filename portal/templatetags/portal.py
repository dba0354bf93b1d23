"""Template helpers of the portal: money in Vietnamese style and links that keep the current filters."""

from django import template
from django.utils.http import urlencode

register = template.Library()


@register.filter
def vnd(value) -> str:
    """1234567 → "1.234.567 ₫" (Vietnamese thousands separator, whatever the active locale)."""
    if value in (None, ""):
        return ""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,}".replace(",", ".") + "\u00a0₫"


@register.filter
def thousands(value) -> str:
    """1234567 → "1.234.567"."""
    if value in (None, ""):
        return ""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,}".replace(",", ".")


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (None or "" removes one), e.g. for pagination."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = urlencode(sorted((k, v) for k in params for v in params.getlist(k) if v != ""))
    return f"?{encoded}" if encoded else "?"
