"""``{% known_expectation_items panel %}``: the items of the known-expectations panel
(``insights/panels/known_expectations.html``) on the complaint page and the customer 360.

Up to eight expectations of a dozen nodes each (an address reversed, two translations, the
language looked up) through the template engine were most of the panel's drawing; the tag
writes the same markup in one pass, escaped and localised as the template's variables were
(the former loop is kept in ``tests/insights/test_known_expectations_tag.py``, which compares
the two).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template import Context
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from yuqi.core.id_links import id_link
from yuqi.core.template_values import day, shown

register = template.Library()


def _item(item: Any, link: Any, english: bool, labels: dict[str, str]) -> str:
    e = item["expectation"]
    grade = e.grade
    statement = shown(e.statement)
    if link is not None:
        statement = f'<a href="{link(e.pk)}">{statement}</a>'
    guidance = item["guidance"]
    if guidance:
        script = guidance.script_en if english and guidance.script_en else guidance.script
        note = (
            f'\n        <div class="guidance"><em>{labels["guidance"]}:</em>\n'
            f"          <p>{shown(script)}</p>\n"
            "        </div>\n      "
        )
    elif grade == "A" or grade == "B":
        due = f" · {labels['due']} {shown(day(e.due_date))}" if e.due_date else ""
        note = f'\n        <div class="muted">{labels["delivered"]}{due}</div>\n      '
    else:
        note = ""
    return (
        "\n    <li>\n"
        f'      <strong class="grade grade-{shown(grade or "none")}">{shown(grade or "–")}'
        "</strong>\n"
        f"      {statement}\n"
        f"      {note}\n"
        "    </li>\n  "
    )


@register.simple_tag(takes_context=True)
def known_expectation_items(context: Context, panel: dict[str, Any]) -> SafeString:
    labels = {
        "guidance": shown(gettext("Guidance to use")),
        "delivered": shown(gettext("Being delivered")),
        "due": shown(gettext("due")),
    }
    link = id_link(context, "insights:expectation") if panel.get("may_open") else None
    english = get_language() == "en"
    return mark_safe(  # every value is escaped by shown() or id_link()
        "".join(_item(item, link, english, labels) for item in panel.get("known") or ())
    )
