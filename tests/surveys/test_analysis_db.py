"""Analysis numbers through the database, on the hand-computed worked case.

The five respondents of ``analysis_factories.SMALL`` (two gold, three ordinary; population
100 and 900). Worked by hand:

* NPS answers 10, 9 | 0, 8, 10: unweighted (3 − 1)/5 = +40; by stratum gold +100,
  ordinary 0 → weighted 0.1·100 + 0.9·0 = +10, se² = 0.81·(1 − 3/900)·10000/3.
* CSAT 5, 4 | 2, 4, 3 (top-2-box 4–5): unweighted 3/5 = 0.6; weighted 0.1·1 + 0.9·⅓ = 0.4.
* CES 7, 6 | 2, 5, 4: unweighted 4.8; weighted 0.1·6.5 + 0.9·11/3 = 3.95.
* SERVQUAL item gaps P − E: s1 −2, 0, 0, +1, −2 (mean −0.6); s2 −3, −2, −2, 0, 0 (−1.4);
  s3 0, −2, 0, +1, −2 (−0.6). Responsiveness per respondent (s2, s3): −1.5, −2, −1, 0.5,
  −1 → −1.0; mean E = (6.5, 7, 4.5, 5, 5.5) → 5.7. Overall unweighted per respondent
  −1.75, −1, −0.5, 0.75, −1.5 → −0.8. Importance-weighted (only the gold two allocated):
  0.4·(−2) + 0.6·(−1.5) = −1.7 and 0.5·0 + 0.5·(−2) = −1.0 → −1.35.
* Expectation achievement (Σ P ≥ Σ E): only respondent 4 (16 ≥ 14) → 1/5 = 0.2;
  weighted 0.1·0 + 0.9·⅓ = 0.3.
"""

from __future__ import annotations

import math

import pytest

from tests.surveys.analysis_factories import invite, load_small, make_campaign, make_survey
from yuqi.surveys import services
from yuqi.surveys.analysis import campaign_report, stratum_rates, survey_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    survey = make_survey()
    made = make_campaign(survey)
    load_small(survey, made)
    return made


def test_unweighted_headline_of_worked_case(campaign) -> None:
    result = survey_report(campaign.survey_version.survey).result
    assert not result.weighted
    assert result.respondents == 5
    assert result.headline.nps.value == pytest.approx(40.0)
    assert result.headline.csat.value == pytest.approx(0.6)
    assert result.headline.ces.value == pytest.approx(4.8)
    assert result.headline.achievement.value == pytest.approx(0.2)


def test_weighted_headline_of_worked_case(campaign) -> None:
    result = campaign_report(campaign).result
    assert result.weighted
    assert result.headline.nps.value == pytest.approx(10.0)
    assert result.headline.nps.se == pytest.approx(math.sqrt(0.81 * (1 - 3 / 900) * 10000 / 3))
    assert result.headline.csat.value == pytest.approx(0.4)
    assert result.headline.ces.value == pytest.approx(3.95)
    assert result.headline.achievement.value == pytest.approx(0.3)


def test_campaign_keeps_the_unweighted_figures_for_comparison(campaign) -> None:
    result = campaign_report(campaign).result
    assert result.unweighted.nps.value == pytest.approx(40.0)
    assert result.unweighted.csat.value == pytest.approx(0.6)


def test_servqual_item_and_dimension_gaps(campaign) -> None:
    table = survey_report(campaign.survey_version.survey).result.servqual
    gaps = {row.key: row.gap.value for row in table.items}
    assert gaps == pytest.approx({"s1": -0.6, "s2": -1.4, "s3": -0.6})
    responsiveness = next(d for d in table.dimensions if d.key == "responsiveness")
    assert responsiveness.gap.value == pytest.approx(-1.0)
    assert responsiveness.expectation == pytest.approx(5.7)
    assert responsiveness.n == 5
    assert responsiveness.importance == pytest.approx(0.55)  # (60 + 50) / 2 points


def test_servqual_overall_scores(campaign) -> None:
    table = survey_report(campaign.survey_version.survey).result.servqual
    assert table.unweighted.value == pytest.approx(-0.8)
    assert table.unweighted.n == 5
    assert table.weighted.value == pytest.approx(-1.35)
    assert table.weighted.n == 2


def test_breakdown_by_tier_uses_the_response_snapshot(campaign) -> None:
    report = survey_report(campaign.survey_version.survey)
    tier = next(b for b in report.breakdowns if b.by == "tier")
    by_label = {row.label: row for row in tier.rows}
    assert by_label["Gold"].respondents == 2
    assert by_label["Gold"].headline.nps.value == pytest.approx(100.0)
    assert by_label["Ordinary"].headline.csat.value == pytest.approx(1 / 3)


def test_text_answers_do_not_disturb_the_numbers(campaign) -> None:
    result = survey_report(campaign.survey_version.survey).result
    assert {q.code for q in result.questions} == {"nps", "csat", "ces"}


def test_response_rate_per_stratum(campaign) -> None:
    survey = campaign.survey_version.survey
    invite(survey, campaign, "tier=ordinary", answered=False)
    invite(survey, campaign, "tier=ordinary", answered=False)
    rates, _test = stratum_rates(campaign)
    by_key = {row.key: row for row in rates}
    assert (by_key["tier=gold"].sent, by_key["tier=gold"].responded) == (2, 2)
    assert by_key["tier=gold"].rate.value == pytest.approx(1.0)
    assert (by_key["tier=ordinary"].sent, by_key["tier=ordinary"].responded) == (5, 3)
    assert by_key["tier=ordinary"].rate.value == pytest.approx(0.6)
    assert by_key["tier=ordinary"].share == pytest.approx(0.9)
    assert by_key["tier=ordinary"].responder_share == pytest.approx(0.6)


def test_representativeness_chi_square(campaign) -> None:
    test = campaign_report(campaign).representativeness
    # expected 0.5 and 4.5 responders; observed 2 and 3
    assert test.statistic == pytest.approx(1.5**2 / 0.5 + 1.5**2 / 4.5)
    assert test.df == 1


def test_a_later_version_pools_answers_by_question_code(campaign) -> None:
    survey = campaign.survey_version.survey
    services.version_freeze(version=survey.current_version)
    services.survey_edit_question(survey=survey, code="nps", changes={"text": "会推荐吗"})
    survey.refresh_from_db()
    assert survey.current_version.number == 2
    from tests.surveys.analysis_factories import respond

    respond(survey, {"nps": 0})
    result = survey_report(survey).result
    assert result.headline.nps.n == 6
    assert result.headline.nps.value == pytest.approx(100 * (3 - 2) / 6)


def test_answers_submitted_through_the_public_flow_are_analysed() -> None:
    """Built-in templates answered with ``services.response_submit`` (the storage format
    of the public page): SERVQUAL pairs, importance points, Kano codes, 对事/对人."""
    from tests.customers.factories import CustomerFactory
    from yuqi.surveys.choices import InvitationChannel
    from yuqi.surveys.models import Survey

    services.survey_install_templates()
    customer = CustomerFactory()

    def submit(code: str, answers: dict) -> None:
        survey = Survey.objects.get(code=code)
        invitation = services.invitation_build(
            version=survey.current_version,
            customer_id=customer.pk,
            customer_name=customer.name,
            channel=InvitationChannel.SMS,
            expires_days=7,
        )
        invitation.save()
        services.response_submit(invitation=invitation, answers=answers)

    servqual = Survey.objects.get(code="servqual-call-centre")
    items = servqual.current_version.questions.filter(type="servqual_item")
    answers = {q.code: {"expectation": 7, "perception": 5} for q in items}
    answers["importance"] = {"reliability": 60, "responsiveness": 40}
    submit("servqual-call-centre", answers)
    submit(
        "kano-service-features",
        {
            q.code: {"functional": "like", "dysfunctional": "dislike"}
            for q in Survey.objects.get(
                code="kano-service-features"
            ).current_version.questions.all()
        },
    )
    submit("post-contact", {"resolved": "no", "attitude": 2})

    table = survey_report(servqual).result.servqual
    assert len(table.items) == 22
    assert table.weighted.value == pytest.approx(-2.0)
    assert table.achievement.value == 0.0
    kano = survey_report(Survey.objects.get(code="kano-service-features")).result.kano
    assert {row.summary.category for row in kano} == {"O"}
    post = survey_report(Survey.objects.get(code="post-contact")).result.headline
    assert post.matter.value == 0.0
    assert post.person.value == 0.0


def test_breakdown_by_channel_and_queue_comes_from_the_contact() -> None:
    from tests.interactions.factories import InteractionFactory, QueueFactory
    from tests.surveys.analysis_factories import respond
    from yuqi.surveys.models import Survey

    services.survey_install_templates(keys=["post-contact"])
    survey = Survey.objects.get(code="post-contact")
    billing = QueueFactory(code="billing", name="账务")
    phone = InteractionFactory(channel="phone", queue=billing)
    chat = InteractionFactory(channel="webchat", queue=billing)
    respond(survey, {"resolved": 1, "attitude": 5}, interaction_id=phone.pk)
    respond(survey, {"resolved": 0, "attitude": 4}, interaction_id=chat.pk)
    respond(survey, {"resolved": 0, "attitude": 1}, interaction_id=chat.pk)
    breakdowns = {b.by: b.rows for b in survey_report(survey).breakdowns}
    channels = {row.label: row.headline.matter.value for row in breakdowns["channel"]}
    assert channels == {"Phone": 1.0, "Web chat": 0.0}
    (queue,) = breakdowns["queue"]
    assert (queue.label, queue.respondents) == ("账务", 3)  # the queue by its name, not its code


def test_campaign_page_and_analysis_share_one_stratum_rate(campaign) -> None:
    """One ``StratumRate`` (selectors) for the campaign page, its API and the analysis: the
    rate is a Wilson ``Measure`` on both (the page used to show a bare ratio)."""
    from yuqi.domain.survey_analysis import Measure
    from yuqi.surveys.selectors import campaign_stratum_rates

    page = campaign_stratum_rates(campaign)
    report = campaign_report(campaign).strata
    assert list(report) == page
    gold = next(r for r in page if r.key == "tier=gold")
    assert isinstance(gold.rate, Measure)
    assert gold.rate.method.startswith("Wilson")
    assert gold.rate.ci_low < gold.rate.value <= gold.rate.ci_high


def test_representativeness_is_the_domain_chi_square(campaign) -> None:
    """The selector no longer runs its own test: it returns the domain's ``ChiSquare``,
    which the analysis report shows as it is; the figures agree with scipy's chisquare."""
    from scipy.stats import chisquare

    from yuqi.surveys.selectors import campaign_representativeness

    check = campaign_representativeness(campaign)
    assert check.chi_square is not None
    assert check.chi_square == campaign_report(campaign).representativeness
    reference = chisquare(check.chi_square.observed, check.chi_square.expected)
    assert check.statistic == pytest.approx(reference.statistic)
    assert check.p_value == pytest.approx(reference.pvalue)


def test_a_report_without_breakdowns_has_the_same_analysis(campaign) -> None:
    survey = campaign.survey_version.survey
    full = survey_report(survey)
    bare = survey_report(survey, breakdowns=False)
    assert full.breakdowns  # the worked case has tiers to break down by
    assert bare.breakdowns == ()
    assert bare.result == full.result
    assert bare.questions == full.questions


def test_the_headline_alone_is_the_reports_headline(campaign) -> None:
    from datetime import date

    from yuqi.surveys.analysis import survey_headline

    survey = campaign.survey_version.survey
    for start, end in ((date(2000, 1, 1), date(2100, 1, 1)), (date(2000, 1, 1), date(2000, 1, 2))):
        report = survey_report(survey, date_from=start, date_to=end)
        assert survey_headline(survey, date_from=start, date_to=end) == report.result.headline
    assert survey_headline(survey, date_from=date(2000, 1, 1), date_to=date(2100, 1, 1)).csat
