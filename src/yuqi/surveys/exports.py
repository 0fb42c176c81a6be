"""Downloads of survey analysis: the results as an Excel workbook, raw answers as CSV.

The workbook is written from the same :class:`~yuqi.surveys.analysis.AnalysisReport` as the
page, one sheet per table, numbers as numbers (shares as fractions formatted as %), so an
analyst can recompute from it. The CSV is UTF-8 with a byte-order mark (Excel then reads
Chinese correctly) and is streamed, so a large campaign never sits in memory. Every cell
goes through :mod:`yuqi.core.cells` (no live formula, no character Excel refuses).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from yuqi.core.cells import append_xlsx_row, csv_row
from yuqi.domain.survey_analysis import Headline, Measure
from yuqi.surveys.analysis import AnalysisReport, answer_rows
from yuqi.surveys.method_labels import method_label
from yuqi.surveys.models import Campaign, Survey
from yuqi.surveys.presenters import HEADLINE_FIELDS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
PERCENT = "0.0%"
DECIMAL = "0.000"

ANSWER_COLUMNS = (
    "response",
    "submitted_at",
    "campaign",
    "stratum",
    "tier",
    "queue",
    "question",
    "part",
    "value",
    "choices",
    "text",
)
"""CSV header: stable machine names (the file is for analysts' tools, not for reading)."""


# --------------------------------------------------------------------------- Excel


def _headline_rows(headline: Headline, kind: str) -> list[tuple[list[Any], str]]:
    """Rows of the summary sheet and each row's unit (``share`` rows are shown as %)."""
    rows = []
    for name, label, unit in HEADLINE_FIELDS:
        measure: Measure | None = getattr(headline, name)
        if measure is None:
            continue
        cells = [kind, str(label), measure.value, measure.ci_low, measure.ci_high, measure.n]
        rows.append(([*cells, measure.se, method_label(measure.method)], unit))
    return rows


def results_workbook(report: AnalysisReport):  # -> openpyxl.Workbook
    """One sheet per table of the analysis page."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    _summary_sheet(book, report)
    _questions_sheet(book, report)
    if report.result.servqual is not None:
        _servqual_sheets(book, report)
    if report.result.kano:
        _kano_sheet(book, report)
    if report.strata:
        _strata_sheet(book, report)
    if report.breakdowns:
        _breakdown_sheet(book, report)
    return book


def _sheet(book, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]):
    sheet = book.create_sheet(title[:31])
    append_xlsx_row(sheet, [str(h) for h in headers])
    for row in rows:
        append_xlsx_row(sheet, row)
    sheet.freeze_panes = "A2"
    return sheet


def _format(sheet, columns: Iterable[int], number_format: str) -> None:
    for column in columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            if isinstance(cell.value, int | float):
                cell.number_format = number_format


def _summary_sheet(book, report: AnalysisReport) -> None:
    result = report.result
    headers = [
        _("Estimate"),
        _("Measure"),
        _("Value"),
        _("CI low"),
        _("CI high"),
        _("n"),
        _("Standard error"),
        _("Method"),
    ]
    kind = _("weighted by stratum") if result.weighted else _("unweighted")
    rows = _headline_rows(result.headline, kind)
    if result.weighted:
        rows += _headline_rows(result.unweighted, _("unweighted"))
    sheet = _sheet(book, _("Summary"), headers, [cells for cells, _unit in rows])
    for number, (_cells, unit) in enumerate(rows, start=2):
        for column in (3, 4, 5):
            sheet.cell(number, column).number_format = PERCENT if unit == "share" else DECIMAL
    append_xlsx_row(sheet, [])
    append_xlsx_row(sheet, [_("Survey"), report.survey.code])
    append_xlsx_row(sheet, [_("Campaign"), report.campaign.code if report.campaign else ""])
    append_xlsx_row(sheet, [_("Responses"), result.respondents])


def _questions_sheet(book, report: AnalysisReport) -> None:
    headers = [
        _("Question"),
        _("Type"),
        _("Text"),
        _("Value"),
        _("CI low"),
        _("CI high"),
        _("n"),
        _("Method"),
    ]
    rows = [[q.code, q.kind, q.label, *_measure_cells(q.measure)] for q in report.result.questions]
    _sheet(book, _("Questions"), headers, rows)


def _measure_cells(measure: Measure | None) -> list[Any]:
    if measure is None:
        return [None, None, None, 0, ""]
    return [
        measure.value,
        measure.ci_low,
        measure.ci_high,
        measure.n,
        method_label(measure.method),
    ]


def _servqual_sheets(book, report: AnalysisReport) -> None:
    table = report.result.servqual
    assert table is not None
    headers = [
        _("Item"),
        _("Dimension"),
        _("Text"),
        _("Mean expectation"),
        _("Mean perception"),
        _("Gap P − E"),
        _("CI low"),
        _("CI high"),
        _("n"),
    ]
    _sheet(
        book,
        _("SERVQUAL items"),
        headers,
        (
            [
                r.key,
                r.dimension,
                r.label,
                r.expectation,
                r.perception,
                r.gap.value,
                r.gap.ci_low,
                r.gap.ci_high,
                r.n,
            ]
            for r in table.items
        ),
    )
    headers = [
        _("Dimension"),
        _("Mean expectation"),
        _("Mean perception"),
        _("Gap P − E"),
        _("CI low"),
        _("CI high"),
        _("n"),
        _("Importance"),
    ]
    sheet = _sheet(
        book,
        _("SERVQUAL dimensions"),
        headers,
        (
            [
                r.key,
                r.expectation,
                r.perception,
                r.gap.value,
                r.gap.ci_low,
                r.gap.ci_high,
                r.n,
                r.importance,
            ]
            for r in table.dimensions
        ),
    )
    _format(sheet, [8], PERCENT)
    append_xlsx_row(sheet, [])
    for label, measure in (
        (_("Unweighted SERVQUAL score"), table.unweighted),
        (_("Importance-weighted SERVQUAL score"), table.weighted),
        (_("Expectation achievement rate"), table.achievement),
    ):
        cells = _measure_cells(measure)
        append_xlsx_row(sheet, [label, *cells[:4]])


def _kano_sheet(book, report: AnalysisReport) -> None:
    headers = [
        _("Feature"),
        _("Text"),
        _("Category"),
        _("Ties"),
        "A",
        "O",
        "M",
        "I",
        "R",
        "Q",
        _("n"),
        _("Better"),
        _("Worse"),
        _("Total strength"),
        _("Category strength"),
        _("Fong's test"),
        _("Kano class to plan with"),
    ]
    rows = []
    for row in report.result.kano:
        s = row.summary
        if s.significant is None:
            fong = ""
        elif s.significant:
            fong = _("significant (margin %(margin).1f)") % {"margin": s.fong_margin}
        else:
            fong = _("not significant (margin %(margin).1f): mixed %(candidates)s") % {
                "margin": s.fong_margin,
                "candidates": "/".join(s.candidates),
            }
        rows.append(
            [
                row.feature,
                row.label,
                s.category or "",
                " ".join(s.ties),
                *(s.counts[c] for c in "AOMIRQ"),
                s.n,
                s.coefficients.better,
                s.coefficients.worse,
                s.total_strength,
                s.category_strength,
                fong,
                s.decision or "",
            ]
        )
    _sheet(book, _("Kano"), headers, rows)


def _strata_sheet(book, report: AnalysisReport) -> None:
    headers = [
        _("Stratum"),
        _("Population"),
        _("Sample"),
        _("Sent"),
        _("Responded"),
        _("Response rate"),
        _("CI low"),
        _("CI high"),
        _("Population share"),
        _("Responder share"),
    ]
    rows = [
        [
            s.key,
            s.population,
            s.sample,
            s.sent,
            s.responded,
            *(([s.rate.value, s.rate.ci_low, s.rate.ci_high]) if s.rate else [None] * 3),
            s.share,
            s.responder_share,
        ]
        for s in report.strata
    ]
    sheet = _sheet(book, _("Response rates"), headers, rows)
    _format(sheet, [6, 7, 8, 9, 10], PERCENT)
    test = report.representativeness
    if test is not None:
        append_xlsx_row(sheet, [])
        append_xlsx_row(
            sheet, [_("Chi-square"), test.statistic, _("df"), test.df, _("p-value"), test.p_value]
        )


def _breakdown_sheet(book, report: AnalysisReport) -> None:
    headers = [_("By"), _("Group"), _("Responses")] + [
        str(label) for _name, label, _unit in HEADLINE_FIELDS
    ]
    rows = []
    for breakdown in report.breakdowns:
        for row in breakdown.rows:
            values = [getattr(row.headline, name) for name, _label, _unit in HEADLINE_FIELDS]
            rows.append(
                [
                    breakdown.by,
                    row.label,
                    row.respondents,
                    *(m.value if m else None for m in values),
                ]
            )
    sheet = _sheet(book, _("Breakdowns"), headers, rows)
    shares = [4 + i for i, (_n, _l, unit) in enumerate(HEADLINE_FIELDS) if unit == "share"]
    _format(sheet, shares, PERCENT)


def results_response(report: AnalysisReport, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    results_workbook(report).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


# --------------------------------------------------------------------------- CSV


def answer_csv_lines(
    *, survey: Survey | None = None, campaign: Campaign | None = None
) -> Iterator[str]:
    """The CSV, line by line: BOM and header first, then one line per stored answer."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: Sequence[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(csv_row(values))
        return buffer.getvalue()

    yield "\ufeff" + line(ANSWER_COLUMNS)
    rows = answer_rows(survey=survey, campaign=campaign).values_list(
        "response_id",
        "response__submitted_at",
        "response__campaign__code",
        "response__stratum_key",
        "response__tier_code",
        "response__queue_code",
        "question__code",
        "part",
        "value",
        "choices",
        "text",
    )
    for row in rows.iterator(chunk_size=5000):
        response, submitted, campaign_code, stratum, tier, queue, code, part, value = row[:9]
        choices, text = row[9], row[10]
        yield line(
            [
                response,
                submitted.isoformat() if submitted else "",
                campaign_code or "",
                stratum,
                tier,
                queue,
                code,
                part,
                "" if value is None else value,
                "|".join(str(c) for c in choices or ()),
                text,
            ]
        )


def answers_response(
    *, filename: str, survey: Survey | None = None, campaign: Campaign | None = None
) -> StreamingHttpResponse:
    lines = (chunk.encode("utf-8") for chunk in answer_csv_lines(survey=survey, campaign=campaign))
    response = StreamingHttpResponse(lines, content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
