"""The regulator appeal's document pack as PDF: the appeal and its statutory dates,
then the ticket's timeline, the messages sent, the promises, the recovery actions and the
callback — what the regulator asks for. fpdf2 with the CJK font the evaluation table PDF
embeds (a TrueType subset, so the text layer reads back; see ``core.pdf_font``)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from yuqi.complaints.models import Complaint, RegulatorAppeal
from yuqi.complaints.presenters import timeline_lines


def _lines(ticket: Complaint, appeal: RegulatorAppeal) -> list[tuple[str, list[str]]]:
    from yuqi.commitments.facade import commitments_for_complaint
    from yuqi.notifications.facade import messages_about

    head = [
        f"{_('Appeal number')}: {appeal.number} · {appeal.get_body_display()}",
        f"{_('Received')}: {appeal.received_on:%Y-%m-%d}",
        f"{_('Dispute')}: {appeal.get_dispute_display()}"
        + (f" · {_('event')} {appeal.event_date:%Y-%m-%d}" if appeal.event_date else ""),
        f"{_('Time bar')}: {appeal.time_bar_status}"
        + (
            f" · {_('last day')} {appeal.time_bar_last_day:%Y-%m-%d}"
            if appeal.time_bar_last_day
            else ""
        ),
        f"{_('Acceptance decision due')}: {appeal.acceptance_due:%Y-%m-%d}",
        f"{_('Reply due')}: {appeal.reply_due:%Y-%m-%d}",
        f"{_('Complaint')}: {ticket.number} · {ticket.level.label} · {ticket.get_state_display()}",
        f"{_('Demand (诉求)')}: {ticket.demand}",
    ]
    events = list(ticket.events.select_related("by").order_by("at", "id"))
    timeline = [
        f"{line.at:%Y-%m-%d %H:%M} {line.label} {line.text}" for line in timeline_lines(events)
    ]
    sent = [
        f"{getattr(m, 'created_at', '')!s:.16} {getattr(m, 'channel_label', '')} "
        f"{getattr(m, 'subject', '') or getattr(m, 'template', '')}"
        for m in messages_about(f"complaint:{ticket.pk}")
    ]
    promises = [
        f"{p.promised_at:%Y-%m-%d} {p.kind_label} · {p.text} · {p.status_label} "
        f"({p.due_at:%Y-%m-%d})"
        for p in commitments_for_complaint(ticket.pk)
    ]
    recovery = [
        f"{a.created_at:%Y-%m-%d} {a.get_kind_display()} {a.amount or ''} · "
        f"{a.get_status_display()} {a.note}"
        for a in ticket.recovery_actions.all()
    ]
    callback = []
    if ticket.callback_at:
        callback.append(
            f"{ticket.callback_at:%Y-%m-%d} {_('Solved? (对事)')} {ticket.callback_solved} · "
            f"{_('Attitude felt good? (对人)')} {ticket.callback_attitude_ok} "
            f"{ticket.callback_note}"
        )
    return [
        (_("Regulator appeal"), head),
        (_("Timeline"), timeline),
        (_("Messages sent"), sent),
        (_("Promises"), promises),
        (_("Service recovery"), recovery),
        (_("Callback (对事 / 对人)"), callback),
    ]


def appeal_pack_pdf(ticket: Complaint, appeal: RegulatorAppeal) -> bytes:
    from fpdf import FPDF

    from yuqi.core.pdf_font import find_cjk_font, truetype_subset

    sections = _lines(ticket, appeal)
    text = "".join(title + "".join(lines) for title, lines in sections) + "—·: ()"
    with tempfile.TemporaryDirectory(prefix="yuqi-pdf-") as folder:
        font_file = Path(folder) / "cjk.ttf"
        path, index = find_cjk_font()
        font_file.write_bytes(truetype_subset(path, index, text))
        pdf: Any = FPDF(orientation="P", unit="mm", format="A4")
        pdf.set_creation_date(appeal.created_at)
        pdf.set_title(f"{appeal.number}")
        pdf.add_font("cjk", fname=str(font_file))
        pdf.set_auto_page_break(auto=True, margin=12)
        pdf.add_page()
        for title, lines in sections:
            pdf.set_font("cjk", size=12)
            pdf.multi_cell(0, 7, text=title, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("cjk", size=8)
            for line in lines or ["—"]:
                pdf.multi_cell(0, 4.5, text=line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        return bytes(pdf.output())
