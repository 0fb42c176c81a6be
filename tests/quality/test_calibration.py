"""Calibration: several evaluators on the same contacts; one evaluator → not computable."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.interactions.factories import InteractionFactory
from tests.quality.conftest import full_marks
from yuqi.core.errors import DomainError
from yuqi.quality import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts(other_agent):
    return [InteractionFactory(agent=other_agent) for _ in range(4)]


def _session(version, contacts, evaluators, by):
    return services.calibration_create(
        name="11月校准",
        form_version=version,
        subjects=[("interaction", c.pk) for c in contacts],
        evaluators=evaluators,
        by=by,
    )


def _score(session, evaluator, contact, version, **overrides):
    return services.calibration_score(
        session=session,
        evaluator=evaluator,
        subject_kind="interaction",
        subject_id=contact.pk,
        answers=full_marks(version, promise_standard=None, **overrides),
    )


def test_one_evaluator_is_not_computable_never_one(call_version, contacts, supervisor, as_user):
    session = _session(call_version, contacts, [supervisor], supervisor)
    for index, contact in enumerate(contacts):
        _score(session, supervisor, contact, call_version, courtesy=10 - index)
    stats = selectors.calibration_stats(session)
    assert stats.score_alpha.alpha is None
    assert stats.pass_alpha.alpha is None
    assert stats.kappa is None
    page = as_user(supervisor).get(reverse("quality:calibration", args=[session.pk]))
    body = page.content.decode()
    assert 'data-coef="score-alpha">not computable' in body or "无法计算" in body
    assert 'data-coef="score-alpha">1.000' not in body


def test_two_evaluators_give_alpha_and_kappa(call_version, contacts, supervisor, manager):
    session = _session(call_version, contacts, [supervisor, manager], supervisor)
    for index, contact in enumerate(contacts):
        _score(session, supervisor, contact, call_version, courtesy=10 - 2 * index)
        _score(session, manager, contact, call_version, courtesy=10 - 2 * index, closing=4)
    stats = selectors.calibration_stats(session)
    assert stats.score_alpha.alpha is not None
    assert 0 < stats.score_alpha.alpha < 1
    assert stats.kappa is not None
    scored_items = [i for i in stats.items if i.alpha.pairable_values]  # the N/A item is out
    assert stats.kappa.n == len(contacts) * len(scored_items)
    courtesy = next(i for i in stats.items if i.key == "courtesy")
    closing = next(i for i in stats.items if i.key == "closing")
    assert courtesy.spread == 0
    assert closing.spread == 1


def test_calibration_scores_are_not_shown_to_agents_or_in_scores(
    call_version, contacts, supervisor, manager
):
    session = _session(call_version, contacts, [supervisor, manager], supervisor)
    _score(session, supervisor, contacts[0], call_version)
    assert selectors.graded().count() == 0


def test_only_session_evaluators_score_once(call_version, contacts, supervisor, manager):
    session = _session(call_version, contacts, [supervisor], supervisor)
    with pytest.raises(DomainError, match="not an evaluator"):
        _score(session, manager, contacts[0], call_version)
    _score(session, supervisor, contacts[0], call_version)
    with pytest.raises(DomainError, match="already scored"):
        _score(session, supervisor, contacts[0], call_version)


def test_session_needs_known_contacts(call_version, supervisor):
    with pytest.raises(DomainError):
        services.calibration_create(
            name="x",
            form_version=call_version,
            subjects=[("interaction", 999999)],
            evaluators=[supervisor],
            by=supervisor,
        )
    with pytest.raises(DomainError, match="at least one"):
        services.calibration_create(
            name="x", form_version=call_version, subjects=[], evaluators=[supervisor], by=supervisor
        )


def test_agreement_api(call_version, contacts, supervisor, as_user):
    session = _session(call_version, contacts, [supervisor], supervisor)
    data = as_user(supervisor).get(f"/api/v1/quality/calibration/{session.pk}/agreement").json()
    assert data["score_alpha"]["value"] is None
    assert "not computable" in data["score_alpha"]["reason"]
