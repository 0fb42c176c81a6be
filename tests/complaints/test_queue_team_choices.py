"""The work queue's team filter offers the teams some ticket belongs to, by name, as the
``DISTINCT`` over every ticket did, in a number of queries that does not grow with the
tickets."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.accounts.factories import UserFactory
from tests.complaints.factories import open_complaint
from yuqi.complaints.forms import QueueFilterForm
from yuqi.complaints.models import Complaint
from yuqi.interactions.models import Team


def _distinct_over_tickets() -> list[tuple[str, str]]:
    """The former read: every ticket's team, distinct, by name."""
    rows = (
        Complaint.objects.filter(team__isnull=False)
        .order_by("team__name")
        .values_list("team_id", "team__name")
        .distinct()
    )
    return [(str(pk), name) for pk, name in rows]


@pytest.mark.django_db
def test_teams_with_a_ticket_by_name_as_before():
    agent = UserFactory(roles=["agent"])
    b = Team.objects.create(code="b", name="投诉二组")
    a = Team.objects.create(code="a", name="投诉一组")
    Team.objects.create(code="idle", name="没有投诉的组")
    open_complaint(by=agent, team_id=b.pk)
    open_complaint(by=agent, team_id=b.pk)
    open_complaint(by=agent, team_id=a.pk)
    open_complaint(by=agent)  # no team
    choices = QueueFilterForm().fields["team"].choices
    assert choices[1:] == _distinct_over_tickets()
    assert [name for _pk, name in choices[1:]] == sorted(["投诉一组", "投诉二组"])


@pytest.mark.django_db
def test_team_choices_read_in_the_same_queries_however_many_tickets():
    agent = UserFactory(roles=["agent"])
    team = Team.objects.create(code="t", name="投诉一组")
    open_complaint(by=agent, team_id=team.pk)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            list(QueueFilterForm().fields["team"].choices)
        return len(captured)

    few = queries()
    for _ in range(5):
        open_complaint(by=agent, team_id=team.pk)
    assert queries() == few
