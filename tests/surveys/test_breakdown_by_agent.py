"""Issue 18: survey answers broken down by the agent and the team who handled the contact
(对事 / 对人 and CSAT per agent), taken from the contact through the interactions facade."""

from __future__ import annotations

import pytest

from yuqi.surveys import services
from yuqi.surveys.analysis import survey_report

pytestmark = pytest.mark.django_db


def test_breakdown_by_agent_and_team() -> None:
    from tests.interactions.factories import AgentFactory, InteractionFactory, TeamFactory
    from tests.surveys.analysis_factories import respond
    from yuqi.surveys.models import Survey

    services.survey_install_templates(keys=["post-contact"])
    survey = Survey.objects.get(code="post-contact")
    team = TeamFactory(code="t1", name="一班")
    lina = AgentFactory(code="A0001", name="李娜", team=team)
    qiang = AgentFactory(code="A0002", name="赵强", team=team)
    respond(
        survey, {"resolved": 1, "attitude": 5}, interaction_id=InteractionFactory(agent=lina).pk
    )
    respond(
        survey, {"resolved": 1, "attitude": 4}, interaction_id=InteractionFactory(agent=lina).pk
    )
    respond(
        survey, {"resolved": 0, "attitude": 1}, interaction_id=InteractionFactory(agent=qiang).pk
    )
    breakdowns = {b.by: b.rows for b in survey_report(survey).breakdowns}
    agents = {row.label: row.headline.matter.value for row in breakdowns["agent"]}
    assert agents == {"李娜 (A0001)": 1.0, "赵强 (A0002)": 0.0}
    (team_row,) = breakdowns["team"]
    assert (team_row.label, team_row.respondents) == ("一班", 3)
