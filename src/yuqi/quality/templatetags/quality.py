from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def posted(values: Any, key: str) -> str:
    """The value posted for item ``key`` (to keep the form filled after a refusal)."""
    if not values:
        return ""
    return str(values.get(f"item_{key}", ""))[:10]
