"""Agent-state exports from the ACD: ``yuqi import agent_states FILE`` (CSV/XLSX) and the
import page. One row per agent and state interval::

    坐席工号, 状态, 原因, 开始时间, 结束时间
    A1001, 就绪, , 2026-11-24 08:00:00+08:00, 2026-11-24 08:42:10+08:00
    A1001, 未就绪, 培训, 2026-11-24 08:42:10+08:00, 2026-11-24 09:30:00+08:00

States: logged in (a session, may contain the other rows), ready, not ready (with a reason),
on contact, wrap, break. Bad input, each refused naming the row:

* a row that ends before (or when) it starts (``backwards``);
* a row of an agent that overlaps another row of the same agent, in the file or already
  stored (``logged in`` sessions may contain detailed rows, they never overlap each other);
* times are converted to UTC before any comparison, so an export whose offset changes
  part-way (a switch from +08:00 to UTC, or a daylight-saving change) is compared in real
  elapsed time; a time without an offset is a wall-clock time of the site's time zone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from yuqi.domain.workforce.adherence import AgentState
from yuqi.imports.importers import Checked, StoreResult
from yuqi.ingest import ColumnMap, FieldError, FieldSpec
from yuqi.ingest.parse import parse_choice, parse_datetime
from yuqi.workforce import versions
from yuqi.workforce.models import AgentStateRow
from yuqi.workforce.rollups import agent_time_refresh, analyze_agent_time, mark_spans

MAX_REASON = 60
MAX_AGENT = 60
MAX_SPAN = dt.timedelta(hours=24)

STATE_WORDS: dict[str, str] = {
    **{state.value: state.value for state in AgentState},
    "登录": AgentState.LOGGED_IN,
    "签入": AgentState.LOGGED_IN,
    "logged in": AgentState.LOGGED_IN,
    "login": AgentState.LOGGED_IN,
    "就绪": AgentState.READY,
    "空闲": AgentState.READY,
    "示闲": AgentState.READY,
    "available": AgentState.READY,
    "idle": AgentState.READY,
    "未就绪": AgentState.NOT_READY,
    "示忙": AgentState.NOT_READY,
    "not ready": AgentState.NOT_READY,
    "aux": AgentState.NOT_READY,
    "通话": AgentState.ON_CONTACT,
    "通话中": AgentState.ON_CONTACT,
    "on call": AgentState.ON_CONTACT,
    "on contact": AgentState.ON_CONTACT,
    "talk": AgentState.ON_CONTACT,
    "话后": AgentState.WRAP,
    "话后处理": AgentState.WRAP,
    "整理": AgentState.WRAP,
    "acw": AgentState.WRAP,
    "wrap up": AgentState.WRAP,
    "小休": AgentState.BREAK,
    "休息": AgentState.BREAK,
    "用餐": AgentState.BREAK,
}

AGENT_STATE_COLUMNS = ColumnMap(
    {
        spec.name: spec
        for spec in (
            FieldSpec("agent", ("agent_id", "坐席", "坐席工号", "工号", "座席工号"), required=True),
            FieldSpec("state", ("状态", "坐席状态", "status"), required=True),
            FieldSpec("reason", ("原因", "未就绪原因", "示忙原因", "reason_code")),
            FieldSpec("start", ("start_time", "开始", "开始时间", "起始时间"), required=True),
            FieldSpec("end", ("end_time", "结束", "结束时间", "截止时间"), required=True),
        )
    },
    name="agent_states",
)


def clean_state(values: Mapping[str, Any]) -> Checked:
    errors: list[tuple[str, str]] = []
    record: dict[str, Any] = {}
    agent = str(values.get("agent") or "").strip()
    if not agent:
        errors.append(("agent", _("A value is required.")))
    elif len(agent) > MAX_AGENT:
        errors.append(("agent", _("longer than %(n)d characters") % {"n": MAX_AGENT}))
    reason = str(values.get("reason") or "").strip()
    if len(reason) > MAX_REASON:
        errors.append(("reason", _("longer than %(n)d characters") % {"n": MAX_REASON}))
    try:
        state = parse_choice(values.get("state"), STATE_WORDS)
        if state is None:
            errors.append(("state", _("A value is required.")))
    except FieldError as exc:
        state = None
        errors.append(("state", str(exc)))
    moments: dict[str, dt.datetime] = {}
    for name in ("start", "end"):
        try:
            moment = parse_datetime(values.get(name))
        except FieldError as exc:
            errors.append((name, str(exc)))
            continue
        if moment is None:
            errors.append((name, _("A value is required.")))
        else:
            moments[name] = moment.astimezone(dt.UTC)
    if len(moments) == 2:
        if moments["end"] <= moments["start"]:
            errors.append(("end", _("The state ends before it starts.")))
        elif moments["end"] - moments["start"] > MAX_SPAN:
            errors.append(("end", _("A state row may not last more than 24 hours.")))
    if errors:
        return Checked(None, errors)
    if state != AgentState.NOT_READY and state != AgentState.BREAK:
        reason = ""
    record.update(agent=agent, state=state, reason=reason, **moments)
    return Checked(record)


def _clash(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Two rows of one agent that may not overlap (a session may contain detailed rows)."""
    session_a = a["state"] == AgentState.LOGGED_IN
    session_b = b["state"] == AgentState.LOGGED_IN
    if session_a != session_b:
        return False
    return a["start"] < b["end"] and b["start"] < a["end"]


def overlaps(records: Sequence[Mapping[str, Any]]) -> dict[int, str]:
    """Index in ``records`` → why it is refused: it overlaps an earlier row of the batch or a
    stored row of the same agent."""
    refused: dict[int, str] = {}
    by_agent: dict[str, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        by_agent[record["agent"]].append(index)
    for agent, indexes in by_agent.items():
        first = min(records[i]["start"] for i in indexes)
        last = max(records[i]["end"] for i in indexes)
        stored = [
            {"state": r.state, "start": r.start, "end": r.end}
            for r in AgentStateRow.objects.filter(
                Q(agent_code=agent) & Q(start__lt=last) & Q(end__gt=first)
            )
        ]
        kept: list[Mapping[str, Any]] = []
        for index in sorted(indexes, key=lambda i: records[i]["start"]):
            record = records[index]
            if any(
                _clash(record, other)
                and not (other["start"] == record["start"] and other["end"] == record["end"])
                for other in stored
            ) or any(_clash(record, other) for other in kept):
                refused[index] = _("This state overlaps another row of agent %(agent)s.") % {
                    "agent": agent
                }
            else:
                kept.append(record)
    return refused


@versions.deferred()  # one bump of the data version per batch, not one per row
def store_states(records: Sequence[dict[str, Any]]) -> StoreResult:
    result = StoreResult()
    refused = overlaps(records)
    touched: list[tuple[dt.datetime, dt.datetime]] = []
    for index, reason in sorted(refused.items()):
        result.rejected.append((index, "start", reason))
    for index, record in enumerate(records):
        if index in refused:
            continue
        row, created = AgentStateRow.objects.get_or_create(
            agent_code=record["agent"],
            start=record["start"],
            defaults={"state": record["state"], "reason": record["reason"], "end": record["end"]},
        )
        if created:
            touched.append((row.start, row.end))
            result.created += 1
            result.statuses[index] = "created"
        elif (row.state, row.reason, row.end) == (
            record["state"],
            record["reason"],
            record["end"],
        ):
            result.unchanged += 1
            result.statuses[index] = "unchanged"
        else:
            touched += [(row.start, row.end), (row.start, record["end"])]
            row.state, row.reason, row.end = record["state"], record["reason"], record["end"]
            row.save(update_fields=["state", "reason", "end"])
            result.updated += 1
            result.statuses[index] = "updated"
    mark_spans(touched)  # the agent-time rollup's days to rebuild
    return result


class AgentStateImporter:
    kind = "agent_states"
    permission = "workforce.add_agentstaterow"
    columns = AGENT_STATE_COLUMNS
    tables = ("workforce_agentstaterow",)

    def check(self, values: Mapping[str, Any], *, source: str = "") -> Checked:
        return clean_state(values)

    def key(self, record: Mapping[str, Any]) -> Hashable:
        return (record["agent"], record["start"])

    def store(self, records: Sequence[dict[str, Any]]) -> StoreResult:
        return store_states(records)

    def finish(self, written: int) -> None:
        """After the last batch: bring the agent-time rollup up to date."""
        if written:
            agent_time_refresh()
            if written >= 10_000:
                analyze_agent_time()
