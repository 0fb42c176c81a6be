"""The complaint workflow table: every allowed and every refused move, requirements, clocks."""

from __future__ import annotations

import itertools

import pytest

from yuqi.domain.complaint_workflow import (
    TRANSITIONS,
    ClockAction,
    ClockMode,
    ClockOp,
    Requirement,
    State,
    TransitionFacts,
    TransitionRefused,
    allowed_targets,
    check_transition,
    clock_effects,
    clock_mode,
)

ALL_FACTS = TransitionFacts(
    solution_accepted=True,
    shelved_need=True,
    forwarded_department=True,
    promised_answer=True,
    pending_approvals=0,
    callback_recorded=True,
    callback_satisfied=True,
    root_cause=True,
)
NO_FACTS = TransitionFacts(pending_approvals=1)
ALLOWED = {(t.source, t.target) for t in TRANSITIONS}
REFUSED = sorted(set(itertools.product(State, State)) - ALLOWED)


@pytest.mark.parametrize(("source", "target"), sorted(ALLOWED))
def test_every_allowed_move_passes_with_its_requirements_met(source, target):
    check_transition(source, target, ALL_FACTS)


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_every_move_outside_the_table_is_refused_naming_both_states(source, target):
    with pytest.raises(TransitionRefused) as refused:
        check_transition(source, target, ALL_FACTS)
    assert f"from {source.value} to {target.value}" in str(refused.value)
    assert refused.value.missing == ()


def test_the_table_has_the_expected_size():
    # 12 states → 144 ordered pairs; the table allows 30 of them (golden: counted by hand)
    assert (len(ALLOWED), len(REFUSED)) == (30, 114)


@pytest.mark.parametrize(
    "entry", [t for t in TRANSITIONS if t.requires], ids=lambda t: f"{t.source}->{t.target}"
)
def test_each_requirement_alone_blocks_its_move(entry):
    for requirement in entry.requires:
        facts = ALL_FACTS.__class__(
            **{
                **{f: getattr(ALL_FACTS, f) for f in ALL_FACTS.__slots__},
                **(
                    {"pending_approvals": 1}
                    if requirement is Requirement.NO_PENDING_APPROVAL
                    else {requirement.value: False}
                ),
            }
        )
        with pytest.raises(TransitionRefused) as refused:
            check_transition(entry.source, entry.target, facts)
        assert refused.value.missing == (requirement,)


def test_close_needs_root_cause_and_satisfied_callback_and_says_so():
    with pytest.raises(TransitionRefused) as refused:
        check_transition("callback_done", "closed", NO_FACTS)
    message = str(refused.value)
    assert "callback_done" in message
    assert "closed" in message
    assert "root cause" in message
    assert "service recovery" in message


def test_an_unknown_target_is_refused():
    with pytest.raises(TransitionRefused):
        check_transition("new", "archived", ALL_FACTS)


def test_allowed_targets_follow_the_table_order():
    assert allowed_targets("resolved") == ("callback_done", "recovery", "investigating")


@pytest.mark.parametrize(
    ("state", "kind", "mode"),
    [
        ("new", "first_response", ClockMode.RUNNING),
        ("acknowledged", "first_response", ClockMode.OFF),
        ("new", "resolution", ClockMode.RUNNING),
        ("waiting_customer", "resolution", ClockMode.PAUSED),
        ("waiting_department", "resolution", ClockMode.PAUSED),
        ("shelved_forwarded", "resolution", ClockMode.RUNNING),
        ("resolved", "resolution", ClockMode.OFF),
        ("resolved", "callback", ClockMode.RUNNING),
        ("callback_done", "callback", ClockMode.OFF),
    ],
)
def test_clock_modes(state, kind, mode):
    assert clock_mode(state, kind) is mode


def test_acknowledging_stops_the_first_response_clock_only():
    assert clock_effects("new", "acknowledged") == (ClockAction("first_response", ClockOp.STOP),)


def test_waiting_pauses_and_replying_resumes_resolution():
    assert clock_effects("investigating", "waiting_customer") == (
        ClockAction("resolution", ClockOp.PAUSE),
    )
    assert clock_effects("waiting_customer", "investigating") == (
        ClockAction("resolution", ClockOp.RESUME),
    )


def test_resolving_stops_resolution_and_starts_the_callback_clock():
    assert clock_effects("agreed", "resolved") == (
        ClockAction("resolution", ClockOp.STOP),
        ClockAction("callback", ClockOp.START),
    )


def test_reopening_starts_a_new_resolution_clock():
    assert clock_effects("closed", "investigating") == (ClockAction("resolution", ClockOp.START),)
    assert clock_effects("resolved", "investigating") == (
        ClockAction("resolution", ClockOp.START),
        ClockAction("callback", ClockOp.STOP),
    )
