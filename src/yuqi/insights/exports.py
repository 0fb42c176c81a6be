"""The 客户期望评测结果表 of one evaluation run: rows for the page, Excel and PDF.

Everything is built from the run's stored snapshot (``EvaluationRow``), never from the live
register, so a run exported twice gives the same content. Headers are Chinese by default
(the table's name is Chinese; ``lang="en"`` gives English ones).

PDF: fpdf2 embeds a subset of a TrueType/OpenType font; a CFF-flavoured CJK collection is
first cut to the characters used and converted to TrueType outlines (:mod:`.pdf_font`), so the
text layer extracts as the text. The font is looked for in ``YUQI_PDF_FONT`` then in
:data:`FONT_PATHS` (Debian package ``fonts-noto-cjk``); without one we refuse with
:class:`PdfFontMissing` rather than print a PDF of empty boxes.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import translation

from yuqi.core.cells import append_xlsx_row
from yuqi.core.pdf_font import (  # noqa: F401  (FONT_PACKAGE, PdfFontMissing: re-exported)
    FONT_PACKAGE,
    FONT_PATHS,
    PdfFontMissing,
    find_cjk_font,
    truetype_subset,
)
from yuqi.insights.models import EvaluationRow, EvaluationRun, Indicator
from yuqi.surveys import facade as surveys

TITLE = {"zh": "客户期望评测结果表", "en": "Customer expectation evaluation"}
HEADERS = {
    "zh": (
        "序号",
        "编号",
        "客户期望",
        "类别",
        "来源与证据",
        "重要度",
        "当前表现",
        "目标",
        "差距",
        "等级",
        "分值",
        "责任人",
        "行动",
        "完成期限",
    ),
    "en": (
        "No.",
        "Code",
        "Expectation",
        "Category",
        "Sources and evidence",
        "Importance",
        "Current",
        "Target",
        "Gap",
        "Grade",
        "Score",
        "Owner",
        "Action",
        "Due",
    ),
}
WIDTHS = (6, 16, 40, 14, 48, 8, 14, 12, 8, 6, 8, 12, 36, 12)
TOTALS = {"zh": "合计", "en": "Total"}
GRADE_WORDS = {"zh": "等级", "en": "grade"}
UNGRADED = {"zh": "未定级", "en": "ungraded"}


def _num(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def _named(labels: Any, code: Any, zh: bool) -> str:
    """A stored code by its label in the document's language (the code if unknown);
    ``labels()`` gives the labels in the active language."""
    with translation.override("zh-hans" if zh else "en"):
        return str(labels().get(code, code or ""))


def evidence_text(source: dict[str, Any], lang: str = "zh") -> str:
    """One line per piece of evidence, from its stored numbers only (codes named)."""
    s, zh = source.get("summary", {}), lang == "zh"
    kind = source.get("source")
    if kind == "complaints":
        return (
            f"投诉 {s.get('complaints', 0)} 件 / 客户 {s.get('customers', 0)} 人"
            if zh
            else f"complaints {s.get('complaints', 0)} ({s.get('customers', 0)} customers)"
        )
    if kind == "feedback":
        return (
            f"建议 {s.get('suggestions', 0)} 条 / 表扬 {s.get('praise', 0)} 条"
            if zh
            else f"suggestions {s.get('suggestions', 0)}, praise {s.get('praise', 0)}"
        )
    if kind == "survey":
        ci = f" [{_num(s.get('ci_low'))}, {_num(s.get('ci_high'))}]"
        what = s.get("item") or _named(
            surveys.servqual_dimension_labels, s.get("dimension", ""), zh
        )
        return (
            f"调研 {what} P−E {_num(s.get('gap'))}{ci} n={s.get('n', 0)}"
            if zh
            else f"survey {what} P−E {_num(s.get('gap'))}{ci} n={s.get('n', 0)}"
        )
    if "offering" in s:
        return (
            f"他有我无 {s.get('name', '')}: {s.get('peer_count')}/{s.get('n_peers')} 家同行"
            if zh
            else f"peers have {s.get('name', '')}: {s.get('peer_count')}/{s.get('n_peers')}"
        )
    indicator = _named(lambda: dict(Indicator.choices), s.get("indicator", ""), zh)
    return (
        f"同行 {s.get('n_peers', 0)} 家 {indicator}: 我方 {_num(s.get('ours'))}, "
        f"最佳 {_num(s.get('best'))}, 中位 {_num(s.get('median'))}"
        if zh
        else f"{s.get('n_peers', 0)} peers {indicator}: ours {_num(s.get('ours'))}, "
        f"best {_num(s.get('best'))}, median {_num(s.get('median'))}"
    )


@dataclass(frozen=True)
class Table:
    title: str
    subtitle: str
    headers: tuple[str, ...]
    rows: list[list[Any]]
    totals: list[str]


def run_table(
    run: EvaluationRun, lang: str = "zh", snapshots: Sequence[EvaluationRow] | None = None
) -> Table:
    """The run's table; ``snapshots``: its rows in position order, when already read."""
    lang = "en" if lang == "en" else "zh"
    rows = []
    if snapshots is None:
        snapshots = list(run.rows.all().order_by("position"))
    for r in snapshots:
        statement = r.statement_en if lang == "en" and r.statement_en else r.statement
        rows.append(
            [
                r.position,
                r.code,
                statement,
                (r.category_label_en if lang == "en" else r.category_label) or r.category,
                "\n".join(evidence_text(s, lang) for s in r.sources),
                r.importance,
                r.current,
                r.target,
                None if r.gap is None else round(r.gap, 3),
                r.grade or "",
                r.score,
                r.owner,
                r.action,
                r.due_date.isoformat() if r.due_date else "",
            ]
        )
    totals = run.totals or {}
    line = [
        f"{g} {GRADE_WORDS[lang]}: {totals.get(g, 0)}"
        if g != "none"
        else f"{UNGRADED[lang]}: {totals.get(g, 0)}"
        for g in ("A", "B", "C", "none")
    ]
    line.append(f"{TOTALS[lang]}: {totals.get('all', len(rows))}")
    subtitle = f"{run.period_start.isoformat()} – {run.period_end.isoformat()} · #{run.pk}"
    return Table(TITLE[lang], subtitle, HEADERS[lang], rows, line)


def evaluation_xlsx(run: EvaluationRun, lang: str = "zh") -> bytes:
    """A real worksheet table: title, header row (frozen), one row per expectation, totals."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table as XlTable
    from openpyxl.worksheet.table import TableStyleInfo

    table = run_table(run, lang)
    book = Workbook()
    sheet = book.active
    sheet.title = table.title[:31]
    append_xlsx_row(sheet, [table.title, table.subtitle])
    sheet["A1"].font = Font(bold=True, size=14)
    append_xlsx_row(sheet, table.headers)
    for row in table.rows:
        append_xlsx_row(sheet, row)
    header_row, last = 2, 2 + len(table.rows)
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=header_row + 1, max_row=last):
        for cell in row:
            cell.alignment = wrap
    if table.rows:
        ref = f"A{header_row}:{get_column_letter(len(table.headers))}{last}"
        xl = XlTable(displayName=f"Evaluation{run.pk}", ref=ref)
        xl.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        sheet.add_table(xl)
    append_xlsx_row(sheet, [])
    append_xlsx_row(sheet, table.totals)
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{header_row + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def find_font() -> tuple[str, int]:
    """The CJK font (``YUQI_PDF_FONT`` or the first of :data:`FONT_PATHS` installed)."""
    return find_cjk_font(FONT_PATHS)


PDF_COLUMNS = (0, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13)  # the code is left out for width
PDF_WIDTHS = (8, 48, 20, 52, 12, 18, 16, 10, 12, 16, 40, 20)


def evaluation_pdf(run: EvaluationRun, lang: str = "zh") -> bytes:
    """A4 landscape; a TrueType subset of the CJK font is embedded."""
    path, index = find_font()
    table = run_table(run, lang)
    cells = [table.title, table.subtitle, *table.headers, *table.totals]
    cells += ["" if value is None else str(value) for row in table.rows for value in row]
    with tempfile.TemporaryDirectory(prefix="yuqi-pdf-") as folder:
        # A TrueType subset, so the text layer extracts as the text (see pdf_font).
        font_file = Path(folder) / "cjk.ttf"
        font_file.write_bytes(truetype_subset(path, index, "".join(cells) + "–·: "))
        return _draw_pdf(run, table, str(font_file))


def _draw_pdf(run: EvaluationRun, table: Table, font_file: str) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_creation_date(run.finished_at or run.started_at)
    pdf.set_title(table.title)
    pdf.add_font("cjk", fname=font_file)
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("cjk", size=14)
    pdf.cell(text=table.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=9)
    pdf.cell(text=table.subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("cjk", size=7)
    with pdf.table(
        col_widths=PDF_WIDTHS,
        text_align="LEFT",
        headings_style=FontFace(emphasis=None, fill_color=(225, 232, 240)),
        line_height=3.6,
        repeat_headings=1,
    ) as pdf_table:
        head = pdf_table.row()
        for i in PDF_COLUMNS:
            head.cell(table.headers[i])
        for row in table.rows:
            line = pdf_table.row()
            for i in PDF_COLUMNS:
                line.cell("" if row[i] is None else str(row[i]))
    pdf.ln(3)
    pdf.set_font("cjk", size=9)
    pdf.cell(text="  ·  ".join(table.totals), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
