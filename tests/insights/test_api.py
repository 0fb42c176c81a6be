"""GET /api/v1/benchmarks, POST /api/v1/benchmarks/peer-values, GET …/offering-gaps."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.insights.factories import PeerCentreFactory, PeerOfferingFactory, PeerValueFactory
from yuqi.insights.models import PeerIndicatorValue


def post(client, path: str, payload: dict):
    return client.post(path, json.dumps(payload), content_type="application/json")


def test_benchmarks_json_for_a_range(as_user, analyst):
    PeerValueFactory(peer=PeerCentreFactory(name="甲"), value=Decimal("0.8"))
    PeerValueFactory(peer=PeerCentreFactory(name="乙"), value=Decimal("0.9"))
    response = as_user(analyst).get(
        "/api/v1/benchmarks?period_from=2026-05-01&period_to=2026-05-31"
    )
    assert response.status_code == 200
    [answer] = response.json()["indicators"]
    assert answer["indicator"] == "answer_rate"
    assert answer["best"] == pytest.approx(0.9)
    assert answer["median"] == pytest.approx(0.85)
    assert answer["ours"] is None
    assert answer["period"]["label"] == "2026-05"


def test_benchmarks_refuse_an_inverted_range(as_user, analyst):
    response = as_user(analyst).get(
        "/api/v1/benchmarks?period_from=2026-06-01&period_to=2026-05-01"
    )
    assert response.status_code == 422


def test_agents_get_403(as_user, agent):
    assert as_user(agent).get("/api/v1/benchmarks").status_code == 403


def test_bulk_peer_values_give_a_result_per_item(as_user, analyst):
    items = [
        {"peer": "甲", "indicator": "接通率", "period": "2026-05", "value": "91%"},
        {"peer": "甲", "indicator": "asa_seconds", "period": "2026-05", "value": 22},
        {"peer": "乙", "indicator": "answer_rate", "period": "2026-05", "value": 1.7},
    ]
    client = as_user(analyst)
    body = post(client, "/api/v1/benchmarks/peer-values", {"items": items}).json()
    assert (body["created"], body["rejected"]) == (2, 1)
    assert body["items"][2]["errors"][0]["field"] == "value"
    again = post(client, "/api/v1/benchmarks/peer-values", {"items": items[:2]}).json()
    assert again["unchanged"] == 2
    assert PeerIndicatorValue.objects.count() == 2


def test_supervisors_cannot_post_peer_values(as_user, supervisor):
    items = [{"peer": "甲", "indicator": "fcr", "period": "2026-05", "value": 0.8}]
    response = post(as_user(supervisor), "/api/v1/benchmarks/peer-values", {"items": items})
    assert response.status_code == 403


def test_offering_gaps(as_user, supervisor):
    PeerOfferingFactory(peer__name="甲", offering__code="video", offering__name="视频客服")
    body = as_user(supervisor).get("/api/v1/benchmarks/offering-gaps").json()
    assert body["n_peers"] == 1
    assert body["they_have"][0]["code"] == "video"
    assert body["they_have"][0]["peers"] == ["甲"]
