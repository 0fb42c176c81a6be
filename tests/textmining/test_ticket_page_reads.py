"""The ticket page's panels share one read of the ticket's text analysis and summary."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.textmining.factories import BILLING, analysed


def test_the_ticket_page_reads_its_text_analysis_and_summary_once(
    frozen, outbox, supervisor, as_user
):
    complaint = analysed(by=supervisor, text=BILLING[0])
    client = as_user(supervisor)
    url = f"/complaints/{complaint.number}/"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]
    analysis = [s for s in sql if s.startswith('SELECT "textmining_complaintanalysis"."id"')]
    # the ticket's own analysis once, the customer's other analysed tickets once
    assert len(analysis) == 2
    summaries = [
        s for s in sql if s.startswith('SELECT "complaints_complaint"."id"') and "LIMIT 21" not in s
    ]
    # the promise, expectation and text panels share one summary; the knowledge panel reads
    # the ticket's words
    assert len(summaries) == 2
