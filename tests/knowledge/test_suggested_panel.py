# ruff: noqa: E501 (the former template lines are kept as they were written)
"""``{% suggested_articles panel %}`` draws the suggested-articles panel's items exactly as the
template loop it replaced did."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe

from yuqi.knowledge.selectors import Suggestion

#: The former loop of ``knowledge/panels/suggested.html``.
LOOP = (
    "{% load i18n %}"
    "{% for s in panel.suggestions %}\n"
    '    <li data-testid="kb-suggestion" data-article="{{ s.id }}">\n'
    "      <details>\n"
    '        <summary><strong>{{ s.title }}</strong> <span class="badge">{{ s.kind_label }}</span></summary>\n'
    '        <div class="kb-body">{{ s.body_html }}</div>\n'
    "      </details>\n"
    '      <template id="kb-text-{{ s.id }}">{{ s.text }}</template>\n'
    "      <div class=\"inline-form\">{% url 'knowledge:feedback' s.id as feedback_url %}\n"
    '        <button type="button" hidden data-knowledge-insert="kb-text-{{ s.id }}"\n'
    '          hx-post="{{ feedback_url }}" hx-target="next .kb-recorded"\n'
    '          hx-vals=\'{"kind": "inserted"{% if panel.complaint_id %}, "complaint_id": "{{ panel.complaint_id }}"{% endif %}{% if panel.customer_id %}, "customer_id": "{{ panel.customer_id }}"{% endif %}}\'>{% translate "Insert into note" %}</button>\n'
    '        <button type="button" hx-post="{{ feedback_url }}" hx-target="next .kb-recorded" hx-vals=\'{"kind": "used"{% if panel.complaint_id %}, "complaint_id": "{{ panel.complaint_id }}"{% endif %}{% if panel.customer_id %}, "customer_id": "{{ panel.customer_id }}"{% endif %}}\'>{% translate "Used" %}</button>\n'
    '        <button type="button" hx-post="{{ feedback_url }}" hx-target="next .kb-recorded" hx-vals=\'{"kind": "helpful"{% if panel.complaint_id %}, "complaint_id": "{{ panel.complaint_id }}"{% endif %}{% if panel.customer_id %}, "customer_id": "{{ panel.customer_id }}"{% endif %}}\'>{% translate "Helpful" %}</button>\n'
    '        <button type="button" hx-post="{{ feedback_url }}" hx-target="next .kb-recorded" hx-vals=\'{"kind": "not_helpful"{% if panel.complaint_id %}, "complaint_id": "{{ panel.complaint_id }}"{% endif %}{% if panel.customer_id %}, "customer_id": "{{ panel.customer_id }}"{% endif %}}\'>{% translate "Not helpful" %}</button>\n'
    '        <button type="button" hx-post="{{ feedback_url }}" hx-target="next .kb-recorded" hx-vals=\'{"kind": "wrong"{% if panel.complaint_id %}, "complaint_id": "{{ panel.complaint_id }}"{% endif %}{% if panel.customer_id %}, "customer_id": "{{ panel.customer_id }}"{% endif %}}\'>{% translate "Wrong" %}</button>\n'
    '        <a href="{% url \'knowledge:detail\' s.id %}">{% translate "Open" context "link to an article" %}</a>\n'
    '        <span class="kb-recorded muted" role="status" aria-live="polite"></span>\n'
    "      </div>\n"
    "    </li>\n"
    "  {% endfor %}"
)
NEW = "{% load knowledge_panel %}{% suggested_articles panel %}"


def _suggestion(**changes: object) -> Suggestion:
    values: dict = {
        "id": 27,
        "title": "期望管理话术：<偏远> & 农村",
        "kind": "script",
        "kind_label": "期望管理话术",
        "reasons": ("topic",),
        "body": "正文",
        "body_html": mark_safe("<p>非常理解 &amp; 您着急用网。</p>\n"),
        "text": "非常理解 & 您着急 <用网>。\n• 第二行 \"引号\" 'x'",
    }
    values.update(changes)
    return Suggestion(**values)


SUGGESTIONS = [
    _suggestion(),
    _suggestion(id=12345, title="Broadband down", kind_label="Playbook", text=""),
    _suggestion(id=8, body_html=mark_safe(""), kind_label=""),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "ids", [(402, 9110), (None, 9110), (402, None), (None, None), (0, 1234567)]
)
@pytest.mark.parametrize("suggestions", [SUGGESTIONS, SUGGESTIONS[:1], []])
def test_the_tag_draws_what_the_loop_drew(language, ids, suggestions):
    complaint_id, customer_id = ids
    panel = {"suggestions": suggestions, "complaint_id": complaint_id, "customer_id": customer_id}
    with translation.override(language):
        old = Template(LOOP).render(Context({"panel": panel}))
        new = Template(NEW).render(Context({"panel": panel}))
    assert new == old
    assert new.count("<li ") == len(suggestions)


def test_an_address_under_a_script_prefix(settings):
    from django.urls import set_script_prefix

    panel = {"suggestions": SUGGESTIONS, "complaint_id": 1, "customer_id": 2}
    set_script_prefix("/yuqi/987654321/")
    try:
        old = Template(LOOP).render(Context({"panel": panel}))
        new = Template(NEW).render(Context({"panel": panel}))
    finally:
        set_script_prefix("/")
    assert "/yuqi/987654321/knowledge/articles/27/feedback/" in new
    assert new == old


def test_the_link_to_an_article_reads_open_not_a_states_unfinished():
    from django.utils import translation
    from django.utils.translation import pgettext

    with translation.override("zh-hans"):
        assert pgettext("link to an article", "Open") == "打开"
