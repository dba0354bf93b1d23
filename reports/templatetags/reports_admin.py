"""What the admin's index offers from the reports app."""

from django import template

from ..importing import importers_for

register = template.Library()


@register.simple_tag(takes_context=True)
def can_import_data(context) -> bool:
    request = context.get("request")
    return bool(request is not None and importers_for(request.user))
