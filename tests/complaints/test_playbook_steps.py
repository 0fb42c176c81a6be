# ruff: noqa: E501 (the former template lines are kept as they were written)
"""``{% playbook_steps entry %}`` draws a playbook's steps exactly as the template loop it
replaced did: ticked, tickable (with the CSRF field) and not."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject

from yuqi.complaints.config_kept import PlaybookStep

#: The former loop of ``complaints/book/playbook.html``.
LOOP = (
    '{% load yuqi_format %}{% for item in entry.steps %}\n    <li data-step="{{ item.step.code }}">{% if item.done_at %}✔ {{ item.step.label }} <span class="muted">{{ item.done_at|minute }}</span>{% else %}\n'
    '      {% if may_work and is_open %}<form method="post" hx-post="{{ ticket_post_url }}" hx-target="#ticket" hx-swap="outerHTML" class="inline">{% csrf_token %}<input type="hidden" name="action" value="book_tick"><input type="hidden" name="step" value="{{ item.step.pk }}"><button type="submit" class="link" data-tick="{{ entry.book.code }}-{{ item.step.code }}">○ {{ item.step.label }}</button></form>{% else %}<span class="muted">○</span> {{ item.step.label }}{% endif %}{% endif %}</li>\n'
    "  {% endfor %}"
)
NEW = "{% load playbook_steps %}{% playbook_steps entry %}"


class Book:
    code = "vip<&>"


def _step(pk: int, code: str, text: str, text_en: str = "") -> PlaybookStep:
    return PlaybookStep(pk=pk, code=code, position=pk, text=text, text_en=text_en)


ENTRY = {
    "book": Book(),
    "steps": [
        {"step": _step(1, "call", "回电 <客户>", "Call & <back>"), "done_at": None},
        {
            "step": _step(12345, "log\"x'", "记录", ""),
            "done_at": datetime(2026, 12, 7, 23, 59, tzinfo=UTC),
        },
        {"step": _step(7, "tell", "告知"), "done_at": None},
    ],
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    ("may_work", "is_open"), [(True, True), (True, False), (False, True), (None, None)]
)
@pytest.mark.parametrize(
    "csrf", [SimpleLazyObject(lambda: "tok<en>"), "NOTPROVIDED", "", None, "missing"]
)
@pytest.mark.parametrize("url", ["/complaints/TS-1/", "/c/?a=1&b=<2>", None, "missing"])
@pytest.mark.parametrize("entry", [ENTRY, {"book": Book(), "steps": []}])
def test_the_tag_draws_what_the_loop_drew(language, may_work, is_open, csrf, url, entry):
    context = {"entry": entry, "may_work": may_work, "is_open": is_open}
    if csrf != "missing":
        context["csrf_token"] = csrf
    if url != "missing":
        context["ticket_post_url"] = url
    with translation.override(language), timezone.override("Asia/Shanghai"):
        try:
            old = Template(LOOP).render(Context(context))
        except TypeError:  # {% csrf_token %} without a token (Django 6: format_html(""))
            with pytest.raises(TypeError):
                Template(NEW).render(Context(context))
            return
        new = Template(NEW).render(Context(context))
    assert new == old
