# ruff: noqa: E501 (the former template lines are kept as they were written)
"""``{% text_analysis panel %}`` draws the text-analysis panel below its title exactly as the
template it replaced did (``textmining/panels/complaint.html`` before the tag)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

#: The former markup of ``textmining/panels/complaint.html`` from the analysis on.
FORMER = (
    "{% load i18n text_panel yuqi_format %}"
    "{% with a=panel.a %}{% if a %}\n"
    '  <dl class="facts">\n'
    '    <dt>{% translate "Expectation category" %}</dt>\n'
    '    <dd><strong>{{ a.label }}</strong> <span class="muted">{{ a.confidence }}% · {{ a.source }}{% if a.model_version %} v{{ a.model_version }}{% endif %}</span>\n'
    '      {% if panel.label %}<br><span class="badge">{% if panel.label.corrected %}{% translate "corrected" %}{% else %}{% translate "confirmed" %}{% endif %}</span> {{ panel.label_text }}{% if panel.label.by %} · {{ panel.label.by }}{% endif %}{% endif %}</dd>\n'
    '    <dt>{% translate "Wanted outcome" %}</dt>\n'
    '    <dd>{% for o in a.outcomes %}{{ o.label }}{% if o.amount %} {{ o.amount }}{% endif %} <span class="muted">{{ o.confidence }}%</span>{% if not forloop.last %}; {% endif %}{% empty %}—{% endfor %}</dd>\n'
    '    <dt>{% translate "Wanted by" %}</dt>\n'
    '    <dd>{% if a.wanted_by %}{{ a.wanted_by|minute }}{% endif %}{% if a.wanted_by_span %} «{{ a.wanted_by_span }}»{% endif %}{% if a.wanted_by_confidence %} <span class="muted">{{ a.wanted_by_confidence }}%</span>{% endif %}{% if not a.wanted_by_span %}—{% endif %}</dd>\n'
    '    {% if a.promise %}<dt>{% translate "Quoted promise" %}</dt>\n'
    '    <dd>{% if a.promise.label %}{{ a.promise.label }} {% endif %}{% if a.promise.deadline %}{% translate "due" %} {{ a.promise.deadline|minute }} {% endif %}{% if a.promise.within %}{% translate "within" %} {{ a.promise.within }} {% endif %}«{{ a.promise.matched }}»\n'
    '      {% if panel.ledger_checked %}<br>{% for line in panel.ledger_lines %}<a href="{{ line.url }}">{% translate "In the promise ledger" %} #{{ line.id }}</a> {{ line.kind }} · {{ line.status }} · {% translate "due" %} {{ line.due_at|minute }}{% if not forloop.last %}<br>{% endif %}{% empty %}<span class="badge vip">{% translate "Not in the promise ledger" %}</span>{% if panel.ledger_record_url %} <a href="{{ panel.ledger_record_url }}">{% translate "Record the promise" %}</a>{% endif %}{% endfor %}{% endif %}</dd>{% endif %}\n'
    '    <dt>{% translate "Amount" %}</dt>\n'
    '    <dd>{% if a.amount is not None %}{{ a.amount }} <span class="muted">{{ a.amount_confidence }}%</span>{% else %}—{% endif %}</dd>\n'
    '    <dt>{% translate "About" %}</dt>\n'
    '    <dd>{% if a.target %}{{ a.target }} <span class="muted">{{ a.target_confidence }}%</span>{% else %}—{% endif %}</dd>\n'
    '    <dt>{% translate "Anger" %}</dt><dd>{{ a.anger }}/100</dd>\n'
    '    <dt>{% translate "Threats" %}</dt><dd>{{ a.threats|join:"; "|default:"—" }}{% if a.repeat %} · {% translate "says it happened before" %}{% endif %}</dd>\n'
    '    <dt>{% translate "Reasonable" %}</dt>\n'
    '    <dd>{% if a.unreasonable %}<span class="badge vip">{% translate "judged unreasonable" %}</span>{% endif %}\n'
    '      {% if a.spam %}<span class="badge">{% translate "spam" %}: {{ a.spam|join:", " }}</span>{% endif %}\n'
    '      {% if a.duplicate_of %}<span class="badge">{% translate "duplicate" %}</span>{% endif %}\n'
    '      {% if not a.unreasonable and not a.spam and not a.duplicate_of %}{% translate "yes" %}{% endif %}</dd>\n'
    "  </dl>\n"
    '  <details><summary>{% translate "Masked text" %}</summary><p class="masked">{{ a.text|linebreaksbr }}</p></details>\n'
    "  {% if panel.can_label %}\n"
    '  <div class="buttons">\n'
    "    {% url 'textmining:label' a.complaint_id as label_url %}\n"
    '    <form method="post" action="{{ label_url }}" hx-post="{{ label_url }}" hx-target="#text-panel" hx-swap="outerHTML" class="inline">\n'
    '      {% csrf_token %}<input type="hidden" name="view" value="panel">\n'
    '      <button type="submit" name="action" value="confirm">{% translate "Confirm category" %}</button>\n'
    "    </form>\n"
    '    <form method="post" action="{{ label_url }}" hx-post="{{ label_url }}" hx-target="#text-panel" hx-swap="outerHTML" class="inline">\n'
    '      {% csrf_token %}<input type="hidden" name="view" value="panel"><input type="hidden" name="action" value="correct">\n'
    '      <label class="sr-only" for="text-code">{% translate "Correct category" %}</label>\n'
    '      <select name="code" id="text-code">{% category_options panel.choices a.code %}</select>\n'
    '      <button type="submit">{% translate "Correct" %}</button>\n'
    "    </form>\n"
    "    {% if panel.can_judge %}\n"
    '    <form method="post" action="{{ label_url }}" hx-post="{{ label_url }}" hx-target="#text-panel" hx-swap="outerHTML" class="inline">\n'
    '      {% csrf_token %}<input type="hidden" name="view" value="panel">\n'
    '      {% if a.unreasonable %}<button type="submit" name="action" value="reasonable">{% translate "Mark reasonable" %}</button>\n'
    '      {% else %}<button type="submit" name="action" value="unreasonable">{% translate "Mark unreasonable" %}</button>{% endif %}\n'
    "    </form>{% endif %}\n"
    "  </div>{% endif %}\n"
    "  {% endif %}{% endwith %}"
)
NEW = "{% load text_panel %}{% text_analysis panel %}"

HOSTILE = "<script>alert(1)</script> =1+1 {{ x }} & \"q\" 'a'"
WHEN = dt.datetime(2026, 12, 9, 3, 4, 5, tzinfo=dt.UTC)


def _analysis(**changes: object) -> dict:
    """An ``analysis_view`` dict with hostile text in every customer-written part."""
    values: dict = {
        "complaint_id": 42,
        "number": "TS-1",
        "url": "/complaints/TS-1/",
        "text": HOSTILE + "\n第二行\r\n第三行",
        "code": "billing.fee",
        "label": "话费 <争议>",
        "confidence": 87,
        "source": "规则",
        "from_model": False,
        "model_version": 3,
        "top3": [],
        "outcomes": [
            {"label": "退款", "matched": HOSTILE, "confidence": 90, "amount": 1234.5},
            {"label": mark_safe("<b>x</b>"), "matched": "", "confidence": None, "amount": 0},
            {"label": HOSTILE, "matched": "", "confidence": 5, "amount": Decimal("12000")},
        ],
        "wanted_by": WHEN,
        "wanted_by_span": HOSTILE,
        "wanted_by_confidence": 70,
        "amount": Decimal("1234.50"),
        "amount_confidence": 60,
        "promise": {
            "label": "回电",
            "matched": HOSTILE,
            "deadline": WHEN,
            "within": "2 days",
        },
        "target": "agent",
        "target_confidence": 33,
        "anger": 75,
        "threats": ["media: " + HOSTILE, "lawyer: 律师"],
        "repeat": True,
        "spam": ["ads", HOSTILE, 7],
        "duplicate_of": 9,
        "unreasonable": True,
        "analysed_at": WHEN,
    }
    values.update(changes)
    return values


QUIET = {
    "model_version": None,
    "outcomes": [],
    "wanted_by": None,
    "wanted_by_span": "",
    "wanted_by_confidence": None,
    "amount": None,
    "promise": None,
    "target": "",
    "anger": 0,
    "threats": [],
    "repeat": False,
    "spam": [],
    "duplicate_of": None,
    "unreasonable": False,
    "text": "",
}
LABEL_BY = SimpleNamespace(corrected=True, by="王强 <supervisor>")
LABEL_NOBODY = SimpleNamespace(corrected=False, by=None)
LEDGER = [
    {"url": "/commitments/3/?a=1&b=2", "id": 3, "kind": "回电", "status": HOSTILE,
     "due_at": WHEN, "broken": False},
    {"url": "/commitments/12345/", "id": 12345, "kind": "退款", "status": "kept",
     "due_at": WHEN, "broken": True},
]  # fmt: skip

ANALYSES = {
    "full": _analysis(),
    "quiet": _analysis(**QUIET),
    "only span": _analysis(**{**QUIET, "wanted_by_span": "明天", "target": "product"}),
    "time, no span": _analysis(**{**QUIET, "wanted_by": WHEN, "wanted_by_confidence": 40}),
    "spam only": _analysis(**{**QUIET, "spam": ["ads"]}),
    "duplicate only": _analysis(**{**QUIET, "duplicate_of": 5, "amount": 0}),
    "bare promise": _analysis(
        **{**QUIET, "promise": {"label": "", "matched": "", "deadline": None, "within": ""}}
    ),
}
PANELS = {
    "agent": {"can_label": True, "can_judge": False},
    "supervisor": {"can_label": True, "can_judge": True, "label": LABEL_BY, "label_text": "话费 & 账单"},
    "reader": {"can_label": False, "label": LABEL_NOBODY, "label_text": HOSTILE},
    "ledger lines": {"can_label": True, "can_judge": True, "ledger_checked": True, "ledger_lines": LEDGER},
    "ledger empty, may record": {
        "can_label": False, "ledger_checked": True, "ledger_lines": [],
        "ledger_record_url": "/commitments/new/?complaint=42&kind=refund",
    },
    "ledger empty": {"can_label": True, "ledger_checked": True, "ledger_lines": []},
}  # fmt: skip
CHOICES = [("billing.fee", "话费 <争议>"), ("network", "网络 & 信号")]


def _draw(source: str, panel: dict, *, csrf: bool) -> str:
    """The markup drawn with a CSRF token as the request's (one masked value per page) or
    without one."""
    context = {"panel": panel, "csrf_token": "t0ken&<x>" if csrf else None}
    return Template(source).render(Context(context))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("panel_name", list(PANELS))
@pytest.mark.parametrize("analysis_name", list(ANALYSES))
def test_the_tag_draws_what_the_template_drew(language, panel_name, analysis_name):
    panel = {**PANELS[panel_name], "a": ANALYSES[analysis_name], "choices": CHOICES}
    with translation.override(language), timezone.override("Asia/Shanghai"):
        for csrf in (True, False):
            old = _draw(FORMER, panel, csrf=csrf)
            assert _draw(NEW, panel, csrf=csrf) == old
    assert "<script>" not in old
    if analysis_name == "full":
        assert "&lt;script&gt;" in old
        assert "{{ x }}" in old  # written as text, not read as a template


@pytest.mark.parametrize(
    "panel", [{}, {"a": None, "notice": "saved"}, {"a": {}, "can_label": True}]
)
def test_without_an_analysis_the_tag_draws_nothing_as_the_template(panel):
    assert _draw(NEW, panel, csrf=True) == _draw(FORMER, panel, csrf=True) == ""
