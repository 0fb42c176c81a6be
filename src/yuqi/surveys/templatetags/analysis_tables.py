"""``{% kano_feature_rows rows %}``, ``{% question_rows questions %}``,
``{% breakdown_rows rows %}``, ``{% kano_slide_rows rows %}``, ``{% headline_cards cards %}``
and ``{% overall_cards cards %}``: the survey analysis page's Kano, question, breakdown and
Kano slide tables (their ``<tbody>`` rows; the slides' also on the campaign page) and its
figure cards, written in one pass instead of template loops of a dozen looked-up,
filtered and translated cells per row (about 2 ms of the page's 5 ms of template). The
same HTML as the loops they replaced: every value escaped and localised as ``{{ value }}``
would be (``yuqi.core.template_values.shown``), numbers through the same ``floatformat`` and
``widthratio`` arithmetic (:mod:`yuqi.surveys.shown_numbers`), the same catalog messages
(``tests/surveys/test_analysis_tables.py`` compares the two in Chinese and English)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from yuqi.core.template_values import shown
from yuqi.surveys.method_labels import method_label
from yuqi.surveys.shown_numbers import decimals, percent

register = template.Library()

#: The count columns of the Kano table, in order.
KANO_CODES = ("A", "O", "M", "I", "R", "Q")


def _count(counts: Any, code: str) -> str:
    """``{{ counts.A }}``: the count, or nothing when the category is missing."""
    try:
        return shown(counts[code])
    except (KeyError, TypeError):
        return ""


def _share(value: float | None) -> str:
    """``{% if value is not None %}{% widthratio value 1 100 %}%{% else %}—{% endif %}``."""
    return "—" if value is None else f"{percent(value)}%"


def _kano_class(row: dict[str, Any]) -> str:
    """The Kano class cell: the class when Fong's test decides, else the candidates and the
    class to plan with."""
    summary = row["summary"]
    if not summary.category:
        return "—"
    if summary.significant:
        return f"{shown(row['name'])} ({shown(summary.category)})"
    plan = gettext("plan as %(decision)s (%(code)s) by M &gt; O &gt; A &gt; I") % {
        "decision": shown(row["decision"]),
        "code": shown(summary.decision),
    }
    return (
        f'<span class="badge vip">{gettext("mixed")}</span> '
        f'{shown(row["candidates"])}<br><span class="muted">{plan}</span>'
    )


def _fong(row: dict[str, Any], margin: str) -> str:
    """The Fong's test cell (``margin`` is the test's threshold as ``floatformat:1``)."""
    summary = row["summary"]
    if summary.significant is None:
        return "—"
    if summary.significant:
        message = gettext("significant: lead %(lead)s ≥ %(margin)s")
    else:
        message = gettext("not significant: lead %(lead)s &lt; %(margin)s")
    return message % {"lead": shown(row["lead"]), "margin": shown(margin)}


@register.simple_tag
def kano_feature_rows(rows: Iterable[dict[str, Any]]) -> SafeString:
    """The Kano table's rows (``analysis_views.kano_table``)."""
    two, one = decimals(2), decimals(1)
    parts = []
    for row in rows or ():
        summary = row["summary"]
        counts = "".join(f'<td class="num">{_count(summary.counts, c)}</td>' for c in KANO_CODES)
        better = two(summary.coefficients.better) or "—"
        worse = two(summary.coefficients.worse) or "—"
        parts.append(
            f"\n      <tr><td>{shown(row['label'])}</td>\n"
            f"        <td>{_kano_class(row)}</td>\n"
            f'        {counts}<td class="num">{shown(summary.n)}</td>\n'
            f'        <td class="num">{better}</td><td class="num">{worse}</td>\n'
            f'        <td class="num">{_share(summary.total_strength)}</td>\n'
            f'        <td class="num">{_share(summary.category_strength)}</td>\n'
            f"        <td>{_fong(row, one(summary.fong_margin))}</td></tr>\n    "
        )
    return mark_safe("".join(parts))  # every value escaped above or a formatted number


def _question_value(question: Any, one: Any, two: Any) -> str:
    measure = question.measure
    if not measure:
        return "—"
    if question.kind == "nps":
        return one(measure.value)
    if question.kind in ("csat", "single_choice"):
        return f"{percent(measure.value)}%"
    return two(measure.value)


@register.simple_tag
def question_rows(questions: Iterable[Any]) -> SafeString:
    """The questions table's rows (``SurveyAnalysis.questions``)."""
    one, two = decimals(1), decimals(2)
    parts = []
    for q in questions or ():
        measure = q.measure
        low = getattr(measure, "ci_low", None)
        interval = f"{two(low)} – {two(measure.ci_high)}" if low is not None else "—"
        method = method_label(measure.method if measure is not None else "")
        parts.append(
            f"\n      <tr><td><code>{shown(q.code)}</code></td><td>{shown(q.label)}</td>\n"
            f'        <td class="num">{_question_value(q, one, two)}</td>\n'
            f'        <td class="num">{interval}</td>\n'
            f'        <td class="num">{shown(q.respondents)}</td>'
            f'<td class="muted">{shown(method)}</td></tr>\n    '
        )
    return mark_safe("".join(parts))  # every value escaped above or a formatted number


@register.simple_tag
def breakdown_rows(rows: Iterable[dict[str, Any]]) -> SafeString:
    """A breakdown table's rows (``analysis_views.breakdown_tables``): each group's
    responses and its figures, the interval as the cell's title."""
    parts = []
    for row in rows or ():
        cells = "".join(
            f'<td class="num" title="{shown(card.interval)}">{shown(card.value)}</td>'
            for card in row["cells"]
        )
        parts.append(
            f'\n      <tr><td>{shown(row["label"])}</td><td class="num">{shown(row["n"])}</td>\n'
            f"        {cells}</tr>\n    "
        )
    return mark_safe("".join(parts))  # every value escaped above


def _card_sub(card: Any) -> str:
    """A card's interval and sample size: ``95% CI low – high · n = n``."""
    # {% translate "95% CI" %}: the template's message, its percent sign doubled
    interval = (
        f"{gettext('95%% CI').replace('%%', '%')} {shown(card.interval)} · "
        if card.interval
        else ""
    )
    return f'<div class="kpi-sub">{interval}n = {shown(card.n)}</div>'


@register.simple_tag
def headline_cards(cards: Iterable[Any]) -> SafeString:
    """The header cards (``analysis_views.headline_figures``), each with its unweighted
    figure when the figures are weighted."""
    parts = []
    for card in cards or ():
        unweighted = (
            f'<div class="kpi-sub muted">{gettext("unweighted")}: {shown(card.unweighted)}</div>'
            if card.unweighted
            else ""
        )
        parts.append(
            f'\n  <div class="card kpi">\n    <div class="kpi-name">{shown(card.label)}</div>\n'
            f'    <div class="kpi-value">{shown(card.value)}</div>\n'
            f"    {_card_sub(card)}\n    {unweighted}\n  </div>\n  "
        )
    return mark_safe("".join(parts))  # every value escaped above


@register.simple_tag
def overall_cards(cards: Iterable[Any]) -> SafeString:
    """The overall SERVQUAL scores' cards."""
    parts = [
        f'\n    <div class="card kpi"><div class="kpi-name">{shown(card.label)}</div>'
        f'<div class="kpi-value">{shown(card.value)}</div>\n      {_card_sub(card)}</div>\n    '
        for card in cards or ()
    ]
    return mark_safe("".join(parts))  # every value escaped above


@register.simple_tag
def kano_slide_rows(rows: Iterable[dict[str, Any]]) -> SafeString:
    """The Kano slides between waves (``wave_views.slide_rows``), a flagged slide as a badge."""
    parts = []
    for r in rows or ():
        text = shown(r["status_text"])
        status = (
            f'<span class="badge kano-slide">{text}</span>'
            if r["flagged"]
            else f'<span class="muted">{text}</span>'
        )
        parts.append(
            f'\n    <tr data-feature="{shown(r["code"])}" data-status="{shown(r["status"])}">'
            f"<td>{shown(r['feature'])}</td><td>{shown(r['between'])}</td>"
            f"<td>{shown(r['before'])}</td><td>{shown(r['after'])}</td>\n"
            f"    <td>{status}</td></tr>\n  "
        )
    return mark_safe("".join(parts))  # every value escaped above
