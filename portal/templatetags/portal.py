"""Template helpers of the portal: money and names in Vietnamese style."""

from django import template

from models_registry import formatting

register = template.Library()


register.filter("vnd", formatting.vnd)
register.filter("thousands", formatting.thousands)
register.filter("person_name", formatting.person_name)  # "Đinh Thị Lan": family name first
