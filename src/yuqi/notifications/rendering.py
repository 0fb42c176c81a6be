"""Message templates: ``templates/notifications/<name>.txt``, first line the subject.

Rendered with Django templates under ``translation.override(language)`` so the same template
gives Chinese or English through the catalog; times through the ``local_time`` filter.
Message templates are plain text, so each wraps its content in ``{% autoescape off %}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.template.loader import get_template
from django.utils import translation

TEMPLATES = (
    "complaint_received",
    "complaint_status",
    "complaint_resolved",
    "commitment_made",
    "commitment_changed",
    "commitment_reminder",
    "sla_alert",
    "survey_invitation",
)


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def render_message(name: str, context: dict[str, Any], language: str) -> Rendered:
    """Render a message template in ``language``; raises ``TemplateDoesNotExist``."""
    tpl = get_template(f"notifications/{name}.txt")
    with translation.override(language):
        text = tpl.render(context)
    lines = [line.rstrip() for line in text.strip().splitlines()]
    subject = lines[0].strip() if lines else ""
    body = "\n".join(lines[1:]).strip()
    # Collapse the blank lines left by template tags into single empty lines.
    while "\n\n\n" in body:
        body = body.replace("\n\n\n", "\n\n")
    return Rendered(subject=subject, body=body)


@lru_cache(maxsize=64)
def names_recipient(name: str) -> bool:
    """Whether a message template uses ``recipient_name`` (if not, one rendering serves every
    recipient of the same message)."""
    template = get_template(f"notifications/{name}.txt")
    source = getattr(getattr(template, "template", None), "source", None)
    return source is None or "recipient_name" in source
