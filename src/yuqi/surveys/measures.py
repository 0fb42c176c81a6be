"""The surveys' measures for the balanced scorecard (and benchmarks), registered with
``yuqi.core.measures`` in ``SurveysConfig.ready()`` so operations never imports surveys.

Each figure is the **survey analysis's own figure**: the headline of the survey's responses
submitted in the period, as :func:`yuqi.surveys.analysis.survey_report` (the function behind
the analysis page, its Excel export and its API) computes it (``survey_headline``: the same
headline without the other tables), and its CSAT, NPS, CES or expectation achievement rate
is read with its n and 95 % interval. The cell links to that
analysis page for the same days, which shows the same figure.

When several surveys ask the question (a relationship survey and a SERVQUAL study may both
ask NPS), the one with the most answers to it in the period is shown, and the note names it:
pooling surveys would give a figure no analysis page shows.

* CSAT = top-2-box share of the CSAT question (the 对人 attitude question is the
  post-contact survey's "treated well" rate, not CSAT);
* NPS = % promoters (9–10) − % detractors (0–6), points, adjusted-Wald interval;
* CES = mean agreement on the CES scale (1–7, higher = easier), t interval;
* expectation achievement rate = share of respondents whose mean perception ≥ mean
  expectation over the SERVQUAL items they answered (Wilson interval).

Sources: Reichheld (2003) for NPS; Dixon, Freeman & Toman (2010) for CES; Parasuraman,
Zeithaml & Berry (1988) for SERVQUAL; see ``yuqi.domain.survey_analysis``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from yuqi.core.clock import day_start
from yuqi.core.measures import MeasureReading, register_measure_source, scope_memo
from yuqi.domain.survey_analysis import Headline, Measure

#: scorecard code → the analysis headline's field
HEADLINE_FIELD: dict[str, str] = {
    "satisfaction": "csat",
    "nps": "nps",
    "ces": "ces",
    "expectation_achievement": "achievement",
}


def _headlines(start: date, end: date) -> list[tuple[str, str, Headline]]:
    """(survey code, title, headline) of every survey answered from ``start`` to ``end``.

    Inside a ``core.measures.reading_scope`` (the scorecard) the result is kept for the
    scope, so the four survey measures analyse each survey once per period; between
    requests it is cached under the surveys' data version (``yuqi.surveys.versions``).
    """
    memo = scope_memo()
    key = ("surveys.headlines", start, end)
    if memo is not None and key in memo:
        return memo[key]
    from yuqi.surveys import versions

    found = versions.cached("headlines", (start, end), lambda: _read_headlines(start, end))
    if memo is not None:
        memo[key] = found
    return found


def _read_headlines(start: date, end: date) -> list[tuple[str, str, Headline]]:
    from yuqi.surveys.analysis import survey_headline
    from yuqi.surveys.models import Response, Survey

    responses = Response.objects.filter(
        submitted_at__gte=day_start(start), submitted_at__lt=day_start(end + timedelta(days=1))
    )
    ids = responses.values("survey_version__survey_id")
    found: list[tuple[str, str, Headline]] = []
    for survey in Survey.objects.filter(pk__in=ids).order_by("code"):
        headline = survey_headline(survey, date_from=start, date_to=end)
        found.append((survey.code, survey.display_title, headline))
    return found


def survey_measure(code: str, start: date, end: date) -> MeasureReading:
    """The analysis figure ``code`` (a key of :data:`HEADLINE_FIELD`) for the period."""
    field = HEADLINE_FIELD[code]
    best: tuple[str, str, Measure] | None = None
    for survey_code, title, headline in _headlines(start, end):
        measure = getattr(headline, field)
        if measure is not None and (best is None or measure.n > best[2].n):
            best = (survey_code, title, measure)
    if best is None:
        return MeasureReading(None, _no_answers_reason(code), source=_("Survey analysis"))
    survey_code, title, measure = best
    query = urlencode({"date_from": start.isoformat(), "date_to": end.isoformat()})
    link = f"{reverse('surveys:survey_analysis', args=[survey_code])}?{query}"
    return MeasureReading(
        value=measure.value,
        n=measure.n,
        low=measure.ci_low,
        high=measure.ci_high,
        link=link,
        note=_("Survey: %(title)s") % {"title": title},
        source=_("Survey analysis"),
    )


def _no_answers_reason(code: str) -> str:
    questions = {
        "satisfaction": _("No answers to a satisfaction (CSAT) question in this period."),
        "nps": _("No answers to a likelihood-to-recommend (NPS) question in this period."),
        "ces": _("No answers to a customer effort (CES) question in this period."),
        "expectation_achievement": _(
            "No answers to SERVQUAL expectation and perception items in this period."
        ),
    }
    return questions[code]


def _source(code: str) -> Callable[[date, date], MeasureReading]:
    def source(start: date, end: date) -> MeasureReading:
        return survey_measure(code, start, end)

    source.__doc__ = f"Survey analysis headline figure {HEADLINE_FIELD[code]!r}."
    return source


def register_measure_sources() -> None:
    """Called from ``SurveysConfig.ready()``."""
    for code in HEADLINE_FIELD:
        register_measure_source(code, _source(code))
