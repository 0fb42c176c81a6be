"""Staffing for one interval (Erlang C / Erlang A), shared by ``yuqi staffing`` and the API.

Pure arithmetic over ``yuqi.domain.erlang``: no database, no Django, so the command stays
light and the API no longer imports a command module.
"""

from __future__ import annotations

from typing import Any

from yuqi.domain import erlang

__all__ = ["staffing_dict", "staffing_interval"]


def staffing_dict(result: erlang.StaffingResult) -> dict[str, Any]:
    """The result as JSON-ready keys; ``abandon_rate`` only under Erlang A."""
    data: dict[str, Any] = {
        "agents": result.agents,
        "agents_fractional": result.agents_fractional,
        "positions": result.positions,
        "positions_fractional": result.positions_fractional,
        "service_level": result.service_level,
        "asa": result.asa,
        "waiting_probability": result.waiting_probability,
        "occupancy": result.occupancy,
    }
    if result.abandon_rate is not None:
        data["abandon_rate"] = result.abandon_rate
    data.update(
        model=str(result.model),
        traffic=result.traffic,
        calls=result.calls,
        interval_minutes=result.interval_minutes,
        aht_seconds=result.aht_seconds,
        target_seconds=result.target_seconds,
        shrinkage=result.shrinkage,
        binding=list(result.binding),
    )
    return data


def staffing_interval(
    *,
    calls: float,
    interval: float,
    aht: float,
    target_sl: float | None = None,
    target_time: float = 20.0,
    shrinkage: float = 0.0,
    max_occupancy: float = 1.0,
    patience: float | None = None,
    agents: int | None = None,
    max_asa: float | None = None,
    max_abandon: float | None = None,
) -> erlang.StaffingResult:
    """Fewest agents meeting the targets, or with ``agents`` the performance of that many.

    The keywords are the options of ``yuqi staffing`` and the fields of the API's
    ``StaffingIn`` (both call this). Raises ``yuqi.domain.erlang.ErlangError`` for impossible
    input.
    """
    if agents is not None:
        return erlang.evaluate(
            calls=calls,
            interval_minutes=interval,
            aht_seconds=aht,
            agents=agents,
            target_seconds=target_time,
            patience_seconds=patience,
            shrinkage=shrinkage,
        )
    return erlang.required_agents(
        calls=calls,
        interval_minutes=interval,
        aht_seconds=aht,
        target_service_level=target_sl,
        target_seconds=target_time,
        max_asa_seconds=max_asa,
        max_abandon_rate=max_abandon,
        patience_seconds=patience,
        max_occupancy=max_occupancy,
        shrinkage=shrinkage,
    )
