"""``{% kano_feature_rows %}``, ``{% question_rows %}`` and ``{% breakdown_rows %}`` draw the
survey analysis page's Kano, question and breakdown rows exactly as the template loops they
replaced: definite, mixed and empty Kano classes, Fong's test either way or not run, missing
coefficients, strengths and counts; every kind of question figure, with and without an
interval or a figure at all; escaping and number formats, in Chinese and English."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import translation

from yuqi.domain.kano import KanoCoefficients, KanoSummary
from yuqi.domain.survey_analysis import KanoRow, Measure, QuestionResult
from yuqi.domain.waves import KanoSlide, SlideStatus
from yuqi.surveys.analysis_views import Figure, kano_table
from yuqi.surveys.wave_views import slide_rows

KANO_LOOP = """    {% for row in kano_rows %}
      <tr><td>{{ row.label }}</td>
        <td>{% if not row.summary.category %}—{% elif row.summary.significant %}{{ row.name }} ({{ row.summary.category }}){% else %}<span class="badge vip">{% translate "mixed" %}</span> {{ row.candidates }}<br><span class="muted">{% blocktranslate with decision=row.decision code=row.summary.decision %}plan as {{ decision }} ({{ code }}) by M &gt; O &gt; A &gt; I{% endblocktranslate %}</span>{% endif %}</td>
        <td class="num">{{ row.summary.counts.A }}</td><td class="num">{{ row.summary.counts.O }}</td><td class="num">{{ row.summary.counts.M }}</td><td class="num">{{ row.summary.counts.I }}</td><td class="num">{{ row.summary.counts.R }}</td><td class="num">{{ row.summary.counts.Q }}</td><td class="num">{{ row.summary.n }}</td>
        <td class="num">{{ row.summary.coefficients.better|floatformat:2|default:"—" }}</td><td class="num">{{ row.summary.coefficients.worse|floatformat:2|default:"—" }}</td>
        <td class="num">{% if row.summary.total_strength is not None %}{% widthratio row.summary.total_strength 1 100 %}%{% else %}—{% endif %}</td>
        <td class="num">{% if row.summary.category_strength is not None %}{% widthratio row.summary.category_strength 1 100 %}%{% else %}—{% endif %}</td>
        <td>{% if row.summary.significant is None %}—{% elif row.summary.significant %}{% blocktranslate with lead=row.lead margin=row.summary.fong_margin|floatformat:1 %}significant: lead {{ lead }} ≥ {{ margin }}{% endblocktranslate %}{% else %}{% blocktranslate with lead=row.lead margin=row.summary.fong_margin|floatformat:1 %}not significant: lead {{ lead }} &lt; {{ margin }}{% endblocktranslate %}{% endif %}</td></tr>
    {% endfor %}"""  # noqa: E501 (the template as it was)
QUESTION_LOOP = """    {% for q in result.questions %}
      <tr><td><code>{{ q.code }}</code></td><td>{{ q.label }}</td>
        <td class="num">{% if q.measure %}{% if q.kind == "nps" %}{{ q.measure.value|floatformat:1 }}{% elif q.kind == "csat" or q.kind == "single_choice" %}{% widthratio q.measure.value 1 100 %}%{% else %}{{ q.measure.value|floatformat:2 }}{% endif %}{% else %}—{% endif %}</td>
        <td class="num">{% if q.measure.ci_low is not None %}{{ q.measure.ci_low|floatformat:2 }} – {{ q.measure.ci_high|floatformat:2 }}{% else %}—{% endif %}</td>
        <td class="num">{{ q.respondents }}</td><td class="muted">{{ q.measure.method|method_label }}</td></tr>
    {% endfor %}"""  # noqa: E501
BREAKDOWN_LOOP = """    {% for row in breakdown.rows %}
      <tr><td>{{ row.label }}</td><td class="num">{{ row.n }}</td>
        {% for card in row.cells %}<td class="num" title="{{ card.interval }}">{{ card.value }}</td>{% endfor %}</tr>
    {% endfor %}"""  # noqa: E501


SLIDE_LOOP = """{% for r in slides %}
    <tr data-feature="{{ r.code }}" data-status="{{ r.status }}"><td>{{ r.feature }}</td><td>{{ r.between }}</td><td>{{ r.before }}</td><td>{{ r.after }}</td>
    <td>{% if r.flagged %}<span class="badge kano-slide">{{ r.status_text }}</span>{% else %}<span class="muted">{{ r.status_text }}</span>{% endif %}</td></tr>
  {% endfor %}"""  # noqa: E501
HEADLINE_LOOP = """  {% for card in cards %}
  <div class="card kpi">
    <div class="kpi-name">{{ card.label }}</div>
    <div class="kpi-value">{{ card.value }}</div>
    <div class="kpi-sub">{% if card.interval %}{% translate "95% CI" %} {{ card.interval }} · {% endif %}n = {{ card.n }}</div>
    {% if card.unweighted %}<div class="kpi-sub muted">{% translate "unweighted" %}: {{ card.unweighted }}</div>{% endif %}
  </div>
  {% endfor %}"""  # noqa: E501
OVERALL_LOOP = """    {% for card in overall %}
    <div class="card kpi"><div class="kpi-name">{{ card.label }}</div><div class="kpi-value">{{ card.value }}</div>
      <div class="kpi-sub">{% if card.interval %}{% translate "95% CI" %} {{ card.interval }} · {% endif %}n = {{ card.n }}</div></div>
    {% endfor %}"""  # noqa: E501


def _summary(category, significant, *, counts=None, **given) -> KanoSummary:
    counts = counts if counts is not None else {"A": 12, "O": 9, "M": 3, "I": 1, "R": 0, "Q": 2}
    fields = {
        "category": category,
        "ties": (),
        "counts": counts,
        "n": sum(counts.values()),
        "coefficients": KanoCoefficients(better=0.8461538, worse=-0.4615384, n=25),
        "total_strength": 0.8888,
        "category_strength": 0.1111,
        "significant": significant,
        "fong_margin": 7.25,
        "candidates": (category,) if category else (),
        "mixed": significant is False,
        "decision": category,
        **given,
    }
    return KanoSummary(**fields)


KANO = [
    KanoRow("callback", "回拨 <排队时> & 更多", _summary("A", True)),
    KanoRow("position", '"Queue" position', _summary("O", False, candidates=("O", "A"),
                                                     decision="O", fong_margin=12.349)),
    KanoRow("adviser", "x", _summary("M", False, candidates=("M", "O", "I"), decision="M",
                                     coefficients=KanoCoefficients(better=None, worse=None, n=0),
                                     total_strength=None, category_strength=None)),
    KanoRow("none", "nobody", _summary(None, None, counts=dict.fromkeys("AOMIRQ", 0),
                                       coefficients=KanoCoefficients(better=None, worse=None, n=0),
                                       total_strength=None, category_strength=None,
                                       fong_margin=None, decision=None)),
    KanoRow("undecided", "undecided", _summary("R", False, decision=None, candidates=())),
    KanoRow("tie", "tie", _summary("I", True, counts={"A": 5, "I": 5}, fong_margin=0.05,
                                   category_strength=0.0, total_strength=1.0)),
]  # fmt: skip


def _measure(value, low=None, high=None, method="Wilson score") -> Measure:
    return Measure(value=value, ci_low=low, ci_high=high, n=40, se=None, method=method)


QUESTIONS = [
    QuestionResult("nps", "nps", "推荐 <朋友>?",
                   _measure(-13.85, -20.675, -7.005, "NPS adjusted-wald"), (), 452),
    QuestionResult("csat", "csat", "Satisfied & happy?",
                   _measure(0.5523, 0.5, 0.59, "CSAT top-2-box, Wilson score"), (), 452),
    QuestionResult("matter", "single_choice", "Resolved?", _measure(0.125), (), 12),
    QuestionResult("ces", "ces", "Easy?", _measure(4.805, 4.7, 4.9, "Student t"), (), 452),
    QuestionResult("rating", "rating", "Rate <us>",
                   _measure(3.0, None, None, "something new"), (), 1),
    QuestionResult("none", "csat", "No answers", None, (), 0),
    QuestionResult("nan", "rating", "NaN", _measure(float("nan"), None, None, ""), (), 3),
]  # fmt: skip

BREAKDOWN = SimpleNamespace(
    rows=[
        {
            "label": "钻石 <VIP> & co",
            "n": 20,
            "cells": [
                Figure("CSAT", "40.0%", "21.9% – 61.3%", 20, "Wilson"),
                Figure("NPS", "-50.0", "", 20, ""),
                Figure("Gap", "—", '"q" <x>', 0, ""),
            ],
        },
        {"label": "Ordinary", "n": 1289, "cells": []},
    ]
)


SLIDES = (
    KanoSlide("callback", "Wave 1", "Wave 2", "A", "M", SlideStatus.SLIDE),
    KanoSlide("q", "Wave 1", "Wave 2", "O", "O", SlideStatus.STABLE),
    KanoSlide("adviser <x>", "第 1 波", "第 2 波", None, None, SlideStatus.MIXED),
    KanoSlide("gone", "Wave 2", "Wave 3", "I", None, SlideStatus.MISSING),
)
CARDS = [
    Figure("CSAT <top-2> & co", "55.2%", "50.0% – 59.1%", 452, "Wilson", "54.0%"),
    Figure("NPS", "-13.9", "", 452, "", ""),
    Figure("CES", "—", '"x" – <y>', 0, "", "4.80"),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_tags_equal_the_template_loops(language):
    engine = engines["django"]
    with translation.override(language):
        context = {
            "kano_rows": kano_table(KANO),
            "result": SimpleNamespace(questions=QUESTIONS),
            "breakdown": BREAKDOWN,
            "slides": slide_rows(SLIDES, {"callback": "回拨 <排队时> & 更多", "q": '"Q" & A'}),
            "cards": CARDS,
            "overall": CARDS,
        }
        for loop, tag in (
            (KANO_LOOP, "{% kano_feature_rows kano_rows %}"),
            (QUESTION_LOOP, "{% question_rows result.questions %}"),
            (BREAKDOWN_LOOP, "{% breakdown_rows breakdown.rows %}"),
            (SLIDE_LOOP, "{% kano_slide_rows slides %}"),
            (HEADLINE_LOOP, "{% headline_cards cards %}"),
            (OVERALL_LOOP, "{% overall_cards overall %}"),
        ):
            expected = engine.from_string("{% load i18n survey_labels %}" + loop).render(context)
            indent = loop[: len(loop) - len(loop.lstrip(" "))]
            drawn = engine.from_string("{% load analysis_tables %}" + indent + tag).render(context)
            assert drawn == expected
            assert "&lt;" in expected
            assert "&amp;" in expected


def test_the_kano_rows_are_translated():
    engine = engines["django"]
    tag = engine.from_string("{% load analysis_tables %}{% kano_feature_rows kano_rows %}")
    with translation.override("en"):
        english = tag.render({"kano_rows": kano_table(KANO)})
    with translation.override("zh-hans"):
        chinese = tag.render({"kano_rows": kano_table(KANO)})
    assert "not significant: lead" in english
    assert "plan as" in english
    assert "not significant" not in chinese
    assert "plan as" not in chinese


def test_no_rows_draw_nothing():
    engine = engines["django"]
    for tag in (
        "kano_feature_rows",
        "kano_slide_rows",
        "question_rows",
        "breakdown_rows",
        "headline_cards",
        "overall_cards",
    ):
        template = engine.from_string("{% load analysis_tables %}{% " + tag + " rows %}")
        assert template.render({"rows": []}) == ""
        assert template.render({}) == ""
