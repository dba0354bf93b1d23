"""Template helpers of the portal: money and names in Vietnamese style, links that keep the current filters."""

from django import template
from django.utils.http import urlencode

from models_registry import formatting

register = template.Library()


register.filter("vnd", formatting.vnd)
register.filter("thousands", formatting.thousands)
register.filter("person_name", formatting.person_name)  # "Đinh Thị Lan": family name first


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
