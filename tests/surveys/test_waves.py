"""Recurring campaigns: waves drawn the same way, the due job, the trend and Kano slides."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.customers.factories import CustomerFactory, tier
from tests.surveys import factories
from tests.surveys.analysis_factories import (
    kano_sliding_waves,
    make_campaign,
    make_survey,
    respond,
)
from yuqi.core.errors import DomainError
from yuqi.domain.effect import Change
from yuqi.surveys import campaigns, waves
from yuqi.surveys.choices import AnswerPart, CampaignState
from yuqi.surveys.models import Campaign, CampaignStratum


def _answers(csat: int, e: int = 6, p: int = 5) -> dict:
    pair = {AnswerPart.EXPECTATION: e, AnswerPart.PERCEPTION: p}
    return {"s1": pair, "s2": pair, "s3": pair, "nps": 8, "csat": csat, "ces": 5}


def _fill(survey, campaign, satisfied: int, total: int = 30) -> None:
    for n in range(total):
        respond(survey, _answers(5 if n < satisfied else 2), campaign=campaign)


@pytest.fixture
def series(db):
    survey = make_survey()
    root = make_campaign(survey)
    root.recurrence = "monthly"
    root.save()
    second = waves.wave_create_next(campaign=root, draw=False).campaign
    return survey, root, second


def test_a_wave_copies_the_rules_with_a_new_seed(series):
    _survey, root, second = series
    assert second.series_id == root.pk
    assert second.wave == 2
    assert second.code == "sq-small-2026-w2"
    assert second.seed == root.seed + 1
    assert waves.frame_rules(second) == waves.frame_rules(root)
    assert [c.pk for c in waves.series_waves(second)] == [root.pk, second.pk]


def test_trend_flags_a_significant_csat_change(series):
    survey, root, second = series
    _fill(survey, root, satisfied=10)
    _fill(survey, second, satisfied=25)
    result = waves.series_trend(second)
    csat = next(m for m in result.trend.metrics if m.key == "csat")
    step = csat.steps[0]
    assert [p.n for p in csat.points] == [30, 30]
    assert step.difference == pytest.approx(0.5)
    assert step.change is Change.INCREASE
    assert step.significant
    ces = next(m for m in result.trend.metrics if m.key == "ces")
    assert ces.steps[0].change is Change.NOT_COMPUTABLE  # no variance: said, not divided
    assert [w.responses for w in result.waves] == [30, 30]
    assert {m.key for m in result.trend.metrics} >= {"servqual", "dimension:tangibles"}


def test_one_wave_only_says_there_is_no_trend(db):
    survey = make_survey()
    root = make_campaign(survey)
    _fill(survey, root, satisfied=10)
    result = waves.series_trend(root)
    assert result.trend.note == "one wave only: a trend needs at least two waves"
    assert all(m.steps == () for m in result.trend.metrics)


def test_a_wave_without_answers_gives_no_interval(series):
    survey, root, _second = series
    _fill(survey, root, satisfied=10)
    result = waves.series_trend(root)
    csat = next(m for m in result.trend.metrics if m.key == "csat")
    assert csat.points[1].n == 0
    assert csat.points[1].value is None
    assert csat.steps[0].change is Change.NOT_COMPUTABLE
    assert not csat.steps[0].significant


def test_a_changed_frame_is_reported_and_not_flagged(series):
    survey, root, second = series
    Campaign.objects.filter(pk=second.pk).update(population_filter={"tiers": ["gold"]})
    _fill(survey, root, satisfied=10)
    _fill(survey, second, satisfied=25)
    result = waves.series_trend(root)
    assert result.trend.frame_changes == ("Wave 2",)
    assert [w.frame_changed for w in result.waves] == [False, True]
    step = next(m for m in result.trend.metrics if m.key == "csat").steps[0]
    assert step.change is Change.INCREASE
    assert not step.significant


def test_recurrence_is_set_on_the_first_wave_only(series, clock):
    _survey, root, second = series
    with pytest.raises(DomainError):
        waves.campaign_set_recurrence(campaign=second, recurrence="monthly")
    with pytest.raises(DomainError):
        waves.campaign_set_recurrence(campaign=root, recurrence="weekly")
    updated = waves.campaign_set_recurrence(campaign=root, recurrence="quarterly")
    assert updated.next_wave_at is not None
    off = waves.campaign_set_recurrence(campaign=root, recurrence="")
    assert off.next_wave_at is None


def test_add_period_keeps_the_day_or_takes_the_months_last(clock):
    moment = clock()
    assert waves.add_period(moment.replace(month=1, day=31), "monthly").day == 28
    assert waves.add_period(moment.replace(month=11, day=30), "quarterly").month == 2


@pytest.fixture
def population(db):
    return [CustomerFactory(tier=tier("gold" if n < 20 else "ordinary")) for n in range(80)]


def test_the_due_job_draws_the_next_wave_once(population, clock):
    survey = factories.survey(code="s-wave")
    root = campaigns.campaign_create(
        values={
            "code": "monthly-csat",
            "name": "月度满意度",
            "survey": survey.code,
            "strata_fields": ["tier"],
            "sample_size_mode": "fixed",
            "fixed_size": 20,
            "seed": 7,
            "exclude_surveyed_days": 0,
        }
    )
    campaigns.campaign_draw_sample(campaign=root)
    root.refresh_from_db()
    waves.campaign_set_recurrence(campaign=root, recurrence="monthly")
    assert waves.waves_create_due() == []  # not due yet
    clock.advance(timedelta(days=32))
    created = waves.waves_create_due()
    assert [c.campaign.code for c in created] == ["monthly-csat-w2"]
    wave = created[0].campaign
    assert wave.state == CampaignState.SAMPLED
    assert wave.target_invitations == root.target_invitations
    sizes = dict(CampaignStratum.objects.filter(campaign=wave).values_list("key", "sample"))
    assert sizes == dict(CampaignStratum.objects.filter(campaign=root).values_list("key", "sample"))
    assert waves.waves_create_due() == []  # claimed: not created twice
    root.refresh_from_db()
    assert root.next_wave_at > clock()


def test_kano_feature_sliding_is_flagged(db):
    _survey, root, _second = kano_sliding_waves()
    (slide,) = waves.series_trend(root).slides
    assert slide.flagged
    assert (slide.category_before, slide.category_after) == ("A", "M")


def test_campaign_page_shows_waves_and_trend(series, client, django_user_model):
    from django.contrib.auth.models import Permission

    survey, root, second = series
    _fill(survey, root, satisfied=10)
    _fill(survey, second, satisfied=25)
    user = django_user_model.objects.create_user("ana", password="x")
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_campaign", "change_campaign", "view_results", "view_survey"]
        )
    )
    client.force_login(user)
    page = client.get(reverse("surveys:campaign", args=[second.code]))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="wave-table"' in text
    assert 'id="trend-flag"' in text
    body = client.get(f"/api/v1/campaigns/{second.code}/waves").json()
    assert [w["wave"] for w in body["waves"]] == [1, 2]
    csat = next(m for m in body["metrics"] if m["metric"] == "csat")
    assert csat["steps"][0]["significant"] is True


def test_next_wave_and_recurrence_need_the_change_permission(series, client, django_user_model):
    _survey, root, _second = series
    user = django_user_model.objects.create_user("viewer", password="x")
    client.force_login(user)
    response = client.post(reverse("surveys:campaign_next_wave", args=[root.code]))
    assert response.status_code == 403
    api = client.post(
        f"/api/v1/campaigns/{root.code}/recurrence",
        data={"recurrence": "<script>"},
        content_type="application/json",
    )
    assert api.status_code == 403
    assert Campaign.objects.filter(series=root).count() == 1


def _analyst(django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("ana2", password="x")
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_campaign", "change_campaign", "view_results", "view_survey"]
        )
    )
    return user


def test_a_recurring_first_wave_alone_says_there_is_no_trend_yet(db, client, django_user_model):
    survey = make_survey()
    root = make_campaign(survey)
    waves.campaign_set_recurrence(campaign=root, recurrence="monthly")
    _fill(survey, root, satisfied=10)
    client.force_login(_analyst(django_user_model))
    text = client.get(reverse("surveys:campaign", args=[root.code])).content.decode()
    assert 'id="trend-note"' in text
    assert 'id="trend-flag"' not in text


@pytest.mark.parametrize(
    "form",
    [
        {"recurrence": "<script>alert(1)</script>"},
        {"recurrence": "monthly", "first_due": "2026-02-31"},
        {"recurrence": "weekly", "first_due": "=1+1"},
    ],
)
def test_hostile_recurrence_input_is_refused_or_ignored(db, client, django_user_model, form):
    survey = make_survey()
    root = make_campaign(survey)
    client.force_login(_analyst(django_user_model))
    response = client.post(reverse("surveys:campaign_recurrence", args=[root.code]), form)
    assert response.status_code == 302
    root.refresh_from_db()
    if form["recurrence"] == "monthly":  # the impossible date is ignored: one period from now
        assert root.recurrence == "monthly"
        assert root.next_wave_at is not None
    else:
        assert root.recurrence == ""
        assert root.next_wave_at is None
