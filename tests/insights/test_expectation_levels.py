"""Origins of expectations, over-served and too-low flags on the register, its API and the
evaluation table."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.insights.factories import MAY_END, MAY_START, ExpectationFactory
from yuqi.core.errors import DomainError
from yuqi.insights import evaluation, levels
from yuqi.insights.models import Evidence, ExpectationHistory, ExpectationOrigin

pytestmark = pytest.mark.django_db


def _survey_evidence(e, *, expectation, gap, low, high, n=120, norm=6.0, end=date(2026, 5, 31)):
    return Evidence.objects.create(
        expectation=e,
        source="survey",
        key="tangibles",
        summary={
            "survey": "servqual",
            "dimension": "tangibles",
            "item": "",
            "expectation": expectation,
            "perception": expectation + gap,
            "gap": gap,
            "ci_low": low,
            "ci_high": high,
            "n": n,
            "norm": norm,
        },
        period_start=date(2026, 5, 1),
        period_end=end,
        collected_at=f"{end.isoformat()}T12:00:00Z",
    )


@pytest.fixture
def flagged():
    over = ExpectationFactory(code="tidy-hall", statement="营业厅整洁")
    low = ExpectationFactory(code="callback-any", statement="回拨")
    plain = ExpectationFactory(code="fast-answer", statement="接通快")
    _survey_evidence(over, expectation=5.2, gap=1.1, low=0.8, high=1.4)
    _survey_evidence(low, expectation=4.2, gap=0.2, low=-0.1, high=0.5)
    _survey_evidence(plain, expectation=6.3, gap=-0.9, low=-1.2, high=-0.6)
    return over, low, plain


def test_levels_follow_the_rules_from_the_latest_evidence(flagged):
    over, low, plain = flagged
    found = levels.levels()
    assert found[over.pk].over_served
    assert not found[over.pk].too_low
    assert found[low.pk].too_low  # 4.2 ≤ 6.0 − 1.5
    assert found[low.pk].flags.reasons == ("below_norm",)
    assert not found[plain.pk].flags.any
    # a later period wins: the gap interval now reaches below the margin
    _survey_evidence(over, expectation=5.2, gap=0.6, low=0.3, high=0.9, end=date(2026, 6, 30))
    assert not levels.levels([over.pk])[over.pk].over_served
    assert levels.flagged_ids("too_low") == {low.pk}
    assert levels.flagged_ids("nonsense") == set()


def test_origins_are_replaced_logged_and_summarised(analyst):
    e = ExpectationFactory(code="vip-visit", statement="上门服务")
    other = ExpectationFactory(code="fast-answer", statement="接通快")
    levels.origins_set(
        expectation=e, origins=["advertising", "word_of_mouth"], note="电视广告", by=analyst
    )
    levels.origins_set(expectation=other, origins=["other_providers"], by=analyst)
    assert sorted(
        ExpectationOrigin.objects.filter(expectation=e).values_list("origin", flat=True)
    ) == [
        "advertising",
        "word_of_mouth",
    ]
    levels.origins_set(expectation=e, origins=["promise"], by=analyst)
    assert list(e.origins.values_list("origin", flat=True)) == ["promise"]
    assert ExpectationHistory.objects.filter(expectation=e, event="origins").count() == 2
    summary = levels.self_made_summary()
    assert (summary.with_origin, summary.self_made) == (2, 1)
    assert summary.share == 0.5
    assert [x.code for x in summary.expectations] == ["vip-visit"]
    assert summary.by_origin["promise"] == 1


@pytest.mark.parametrize(
    ("origins", "note"),
    [
        (["=cmd|' /C calc'!A0"], ""),
        ("promise", ""),
        (["promise"] * 7, ""),
        (["promise"], "x" * 301),
    ],
)
def test_hostile_origins_are_refused(origins, note):
    e = ExpectationFactory(code="x1", statement="x")
    with pytest.raises(DomainError):
        levels.origins_set(expectation=e, origins=origins, note=note)
    assert not ExpectationOrigin.objects.exists()


def test_analyst_sets_origin_and_filters_the_register(as_user, analyst, flagged):
    over, low, _plain = flagged
    client = as_user(analyst)
    url = reverse("insights:expectation_action", args=[over.pk, "origins"])
    client.post(url, {"origins": ["promise", "bogus"], "origin_note": "柜台承诺"})
    assert not ExpectationOrigin.objects.exists()  # the whole choice is refused
    client.post(url, {"origins": ["promise"], "origin_note": "柜台承诺"})
    assert list(over.origins.values_list("origin", "note")) == [("promise", "柜台承诺")]
    page = client.get(reverse("insights:expectations"), {"origin": "self"}).content.decode()
    assert "tidy-hall" in page
    assert "callback-any" not in page
    assert "possibly over-served" in page
    page = client.get(reverse("insights:expectations"), {"flag": "too_low"}).content.decode()
    assert "callback-any" in page
    assert 'data-code="tidy-hall"' not in page
    detail = client.get(reverse("insights:expectation", args=[low.pk])).content.decode()
    assert 'id="flag-too-low"' in detail


def test_supervisor_may_not_set_origins(as_user, supervisor, flagged):
    over, _low, _plain = flagged
    client = as_user(supervisor)
    response = client.post(
        reverse("insights:expectation_action", args=[over.pk, "origins"]), {"origins": ["promise"]}
    )
    assert response.status_code == 403
    api = client.put(
        f"/api/v1/expectations/{over.pk}/origins",
        data={"origins": ["promise"]},
        content_type="application/json",
    )
    assert api.status_code == 403
    assert not ExpectationOrigin.objects.exists()


def test_api_shows_flags_and_origins(as_user, analyst, flagged):
    _over, low, _plain = flagged
    client = as_user(analyst)
    put = client.put(
        f"/api/v1/expectations/{low.pk}/origins",
        data={"origins": ["other_providers"], "note": "友商"},
        content_type="application/json",
    )
    assert put.status_code == 200
    assert put.json()["origins"] == ["other_providers"]
    bad = client.put(
        f"/api/v1/expectations/{low.pk}/origins",
        data={"origins": ["<script>"]},
        content_type="application/json",
    )
    assert bad.status_code == 422
    rows = {r["code"]: r for r in client.get("/api/v1/expectations").json()}
    assert rows["tidy-hall"]["over_served"] is True
    assert rows["callback-any"]["too_low"] is True
    summary = client.get("/api/v1/expectation-origins/summary").json()
    assert summary["self_made"] == 0
    assert summary["with_origin"] == 1


def test_evaluation_table_shows_the_flags(as_user, manager, flagged):
    over, _low, _plain = flagged
    levels.origins_set(expectation=over, origins=["advertising"])
    evaluation.evaluation_run(period_start=MAY_START, period_end=MAY_END, collect=False)
    page = as_user(manager).get(reverse("insights:evaluation")).content.decode()
    assert "possibly over-served" in page
    assert "Our advertising and publicity" in page


LEVEL_ROWS_LOOP = (
    "{% load expectation_levels %}{% for row, snap in lines %}{% expectation_level_info "
    "snap.expectation_id_at_run as info %}\n      {% if info.origins or info.level.flags.any %}"
    '<tr data-code="{{ snap.code }}"><td><a href="{% url \'insights:expectation\' '
    'snap.expectation_id_at_run %}">{{ snap.code }}</a></td><td>{{ snap.statement }}</td><td>'
    '{% include "insights/partials/level_badges_inner.html" with level=info.level '
    "origins=info.origins %}</td></tr>{% endif %}\n    {% endfor %}"
)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_level_rows_tag_equals_the_template_loop(flagged, language):
    """``{% evaluation_level_rows %}`` draws the evaluation page's origins and flags as the
    loop with its included badges did: flags, origins, none, escaping, both languages."""
    from types import SimpleNamespace

    from django.template import engines
    from django.utils import translation

    over, low, plain = flagged
    levels.origins_set(expectation=over, origins=["advertising", "promise"])
    levels.origins_set(expectation=plain, origins=["other_providers"])
    quiet = ExpectationFactory(code="q<&>", statement='"一般" <b>')
    levels.origins_set(expectation=quiet, origins=["promise"])
    bare = ExpectationFactory(code="bare", statement="none")
    lines = [
        ((), SimpleNamespace(expectation_id_at_run=e.pk, code=e.code, statement=e.statement))
        for e in (over, low, plain, quiet, bare)
    ]
    engine = engines["django"]
    with translation.override(language):
        expected = engine.from_string(LEVEL_ROWS_LOOP).render({"lines": lines})
        drawn = engine.from_string("{% load expectation_levels %}{% evaluation_level_rows lines %}")
        assert drawn.render({"lines": lines}) == expected
    assert expected.count("<tr") == 4
    assert "level-over" in expected
    assert "level-low" in expected
    assert "q&lt;&amp;&gt;" in expected
