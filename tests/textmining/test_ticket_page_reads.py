"""The ticket page's panels share one read of the ticket's text analysis, and the page's own
read of the ticket answers their summaries of it."""

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
    analysis = [s for s in sql if 'FROM "textmining_complaintanalysis"' in s]
    # the ticket's own analysis once, the customer's other analysed tickets' codes once (two
    # columns each: textmining.facade.customer_expectation_codes)
    assert len(analysis) == 2
    assert sum(s.startswith('SELECT "textmining_complaintanalysis"."id"') for s in analysis) == 1
    # every read of the ticket's row but the page's own (by its number)
    summaries = [
        s
        for s in sql
        if s.startswith('SELECT "complaints_complaint"."id"')
        and 'WHERE "complaints_complaint"."number" =' not in s
    ]
    # the promise, expectation, text and knowledge panels' summary, words and complainer type
    # are answered by the page's own read of the ticket (complaints.facade.remember_ticket)
    assert summaries == []
    assert not [s for s in sql if '"complaints_complaint"."complainer_type" AS' in s]
