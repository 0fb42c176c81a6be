"""The ticket page's own read of the ticket answers the panels' summaries of it with what the
complaints facade would have read (``complaints.facade.remember_ticket``)."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.complaints.factories import open_complaint
from yuqi.complaints import facade
from yuqi.complaints.models import Complaint
from yuqi.complaints.views import _ticket
from yuqi.core.request_memo import request_memo


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_remembered_answers_equal_fresh_reads(supervisor, language, django_assert_num_queries):
    complaint = open_complaint(by=supervisor)
    Complaint.objects.filter(pk=complaint.pk).update(complainer_type_suggested="voicer")
    with translation.override(language):
        fresh = (
            facade.complaint_refs([complaint.pk]),
            facade.complaint_texts([complaint.pk]),
            facade.complaint_complainer_type(complaint.pk),
        )
        with request_memo():
            facade.remember_ticket(_ticket(complaint.number))
            with django_assert_num_queries(0):
                kept = (
                    facade.complaint_refs([complaint.pk]),
                    facade.complaint_texts([complaint.pk]),
                    facade.complaint_complainer_type(complaint.pk),
                )
    assert kept == fresh
    assert fresh[2] == "voicer"
