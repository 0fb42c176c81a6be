"""The survey analysis page's reads compiled once (``yuqi.core.compiled_reads``): the survey by
its code, the waves of the survey's latest series the Kano slides compare, and the surveys'
data version, which answer what the ORM's reads they replaced answered (the latest later
wave, its first wave, the later waves by number; the version as the model reads it) and are
kept on this database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.http import Http404

from tests.surveys.analysis_factories import kano_sliding_waves
from yuqi.core.clock import now
from yuqi.surveys import versions, waves
from yuqi.surveys.analysis_views import SURVEY_READ, _survey_or_404
from yuqi.surveys.models import Campaign, Survey, SurveyDataVersion
from yuqi.surveys.wave_views import (
    _WAVE_FIELDS,
    LATEST_SERIES_WAVES_READ,
    _latest_series_of,
    kano_slide_context,
)

pytestmark = pytest.mark.django_db


def _by_the_orm(survey: Survey) -> tuple[int, list[tuple]] | None:
    """What the page read before: the latest later wave, then its series' waves."""
    latest = (
        Campaign.objects.filter(survey_version__survey=survey, series__isnull=False)
        .order_by("-created_at")
        .first()
    )
    if latest is None:
        return None
    series = waves.series_waves(latest)
    return latest.pk, [tuple(getattr(wave, name) for name in _WAVE_FIELDS) for wave in series]


def _created(campaign: Campaign, minutes_ago: int) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(
        created_at=now() - timedelta(minutes=minutes_ago)
    )


def test_the_latest_series_is_the_one_the_orm_found():
    cache.clear()
    survey, root, second = kano_sliding_waves()
    assert _latest_series_of(survey) == _by_the_orm(survey)
    third = waves.wave_create_next(campaign=root, draw=False).campaign
    Campaign.objects.filter(pk=second.pk).update(wave=5)  # numbered out of creation order
    _created(root, 50)
    _created(second, 40)
    _created(third, 30)
    found = _latest_series_of(survey)
    assert found == _by_the_orm(survey)
    assert found is not None
    assert found[0] == third.pk
    assert [wave[_WAVE_FIELDS.index("id")] for wave in found[1]] == [root.pk, third.pk, second.pk]
    # a newer series of the same survey (its first wave older than the first series' waves)
    other = Campaign.objects.create(
        code="kano-b", name="Kano B", survey_version=survey.current_version
    )
    later = waves.wave_create_next(campaign=other, draw=False).campaign
    _created(other, 90)
    found = _latest_series_of(survey)
    assert found == _by_the_orm(survey)
    assert found is not None
    assert found[0] == later.pk
    assert len(found[1]) == 2
    assert LATEST_SERIES_WAVES_READ.kept()
    assert all(LATEST_SERIES_WAVES_READ.kept().values())


def test_the_slides_of_the_survey_are_those_of_its_latest_wave():
    cache.clear()
    survey, _root, second = kano_sliding_waves()
    by_survey = kano_slide_context(survey=survey)
    cache.clear()
    assert by_survey == kano_slide_context(campaign=second)
    assert by_survey["kano_slides_flagged"] == 1


def test_a_survey_without_later_waves_has_no_slides():
    survey, root, second = kano_sliding_waves()
    Campaign.objects.filter(pk=second.pk).update(series=None)
    assert _latest_series_of(survey) is None
    assert kano_slide_context(survey=survey) == {}
    assert _by_the_orm(survey) is None
    assert root.pk


def test_the_survey_is_read_by_its_code_or_not_found():
    survey, _root, _second = kano_sliding_waves()
    assert _survey_or_404(survey.code) == survey
    assert all(SURVEY_READ.kept().values())
    assert _survey_or_404(survey.code).title == survey.title
    with pytest.raises(Http404):
        _survey_or_404("no-such-survey")


def test_the_data_version_is_its_row_and_a_bump_is_seen_at_once():
    """``DataVersion.read()`` runs a statement compiled once per version model (``yuqi.core.
    data_version``): what the row holds, as ``str()`` of it, a new version at once."""
    from yuqi.core.data_version import _version_read

    kano_sliding_waves()  # writes: the version row is there
    before = str(SurveyDataVersion.objects.get(pk=1))
    assert versions.current() == SurveyDataVersion.read() == before
    versions.bump()
    after = str(SurveyDataVersion.objects.get(pk=1))
    assert versions.current() == SurveyDataVersion.read() == after != before
    assert all(_version_read(SurveyDataVersion).kept().values())
    SurveyDataVersion.objects.all().delete()
    assert versions.current() is None
    assert SurveyDataVersion.read() is None


def test_a_wave_deleted_while_the_page_reads_it_leaves_no_slides(monkeypatch):
    """The latest wave is fetched after its series was read: gone by then (deleted in
    between), the page shows no slides rather than failing."""
    from yuqi.surveys import wave_views

    survey, _root, _second = kano_sliding_waves()
    cache.clear()
    _latest_id, series = _latest_series_of(survey)
    monkeypatch.setattr(wave_views, "_latest_series_of", lambda _survey: (-1, series))
    assert kano_slide_context(survey=survey) == {}
