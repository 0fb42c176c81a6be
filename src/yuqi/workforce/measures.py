"""What the workforce context lends other contexts through ``yuqi.core.measures``: agents'
available and busy time for the KPI engine's occupancy, and the shrinkage observed in the
agent states for the staffing page's default."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from yuqi.core import versioned_cache
from yuqi.core.measures import AgentTime, MeasureReading
from yuqi.workforce import rollups, versions


def raw_agent_time(
    first: dt.date, last: dt.date, bucket_minutes: int, agents: frozenset[str] | None
) -> dict[tuple[str, Any], AgentTime]:
    """Available (ready + on contact + wrap) and busy (on contact + wrap) seconds per agent
    and local bucket, from the imported agent states clipped to the period. Rows were checked
    for overlaps when imported, so they are summed as they are. The reference the rollup
    (``yuqi.workforce.rollups``) must equal."""
    begin, finish = rollups.bounds(first, last)
    rows = rollups.available_rows(begin, finish)
    if agents is not None:
        rows = rows.filter(agent_code__in=sorted(agents))
    sums: dict[tuple[str, Any], list[float]] = defaultdict(lambda: [0.0, 0.0])
    values = rows.values_list("agent_code", "state", "start", "end")
    for code, busy, bucket, length in rollups.pieces(values, begin, finish, bucket_minutes):
        seconds = length.total_seconds()
        entry = sums[(code, bucket)]
        entry[0] += seconds
        if busy:
            entry[1] += seconds
    return {key: AgentTime(round(a), round(b)) for key, (a, b) in sums.items()}


#: Agent-time answers kept in this process (:func:`agent_time`), at most this many entries
#: (agent × bucket) in all: the default KPI explorer's month is about 1,000; a long range by
#: interval can be a hundred times that, and is then read from the shared cache each time.
MEMO_ENTRIES = 20_000

_memo: OrderedDict[str, tuple[float, dict[tuple[str, Any], AgentTime]]] = OrderedDict()
_memo_lock = threading.Lock()


def _memoised(
    version: str, key: str, compute: Callable[[], dict[tuple[str, Any], AgentTime]]
) -> dict[tuple[str, Any], AgentTime]:
    """``compute()`` as :func:`yuqi.core.versioned_cache.cached_under` answers it, kept in
    this process under the same full key (``key`` and ``version``), and handed out as a copy.

    Sound because the full key names the data: ``version`` is the workforce data version
    (``token:number``), read from the database on every call, which every write of agent
    states moves on in the writer's transaction (``yuqi.workforce.versions``), and whose token
    is new with every version row (another database, or one made afresh, never meets this
    process's entries). So no entry is ever the answer for data newer than its key, and a
    write is seen by the next call in every process, as with the shared cache; what is saved
    is unpickling the answer from the shared cache (about 1,000 entries on the KPI explorer).
    An entry is kept no longer than the shared cache keeps it (``TTL_SECONDS``: a database
    restored under a running server to an older version that then moves on with other data is
    thus no worse off than with the shared cache alone), and the least recently used entries
    go beyond :data:`MEMO_ENTRIES`."""
    full_key = f"{key}:{version}"
    moment = time.monotonic()
    with _memo_lock:
        kept = _memo.get(full_key)
        if kept is not None and moment - kept[0] < versioned_cache.TTL_SECONDS:
            _memo.move_to_end(full_key)
            return dict(kept[1])
    found = versioned_cache.cached_under(version, key, compute)
    if len(found) <= MEMO_ENTRIES:
        with _memo_lock:
            _memo[full_key] = (moment, found)
            _memo.move_to_end(full_key)
            while sum(len(answer) for _at, answer in _memo.values()) > MEMO_ENTRIES:
                _memo.popitem(last=False)
    return dict(found)


def forget_memo() -> None:
    """Empty this process's agent-time memo (tests)."""
    with _memo_lock:
        _memo.clear()


def agent_time(
    first: dt.date, last: dt.date, bucket_minutes: int, agents: frozenset[str] | None
) -> dict[tuple[str, Any], AgentTime]:
    """Available and busy seconds per agent and local bucket (``raw_agent_time``'s figures):
    summed from the agent-time rollup when it is built and current for the period, else
    from the agent states. Both are the agent states' figures, so the answer is cached under
    the workforce data version (which every write of agent states moves on): between writes
    a KPI page reads one version row instead of summing about 1,700 agent × day entries, and
    the answer is kept in the process too (:func:`_memoised`)."""

    def compute() -> dict[tuple[str, Any], AgentTime]:
        if rollups.answers(first, last, bucket_minutes):
            return rollups.rollup_agent_time(first, last, bucket_minutes, agents)
        return raw_agent_time(first, last, bucket_minutes, agents)

    version = versions.current()
    if version == "-":  # no write recorded yet: nothing to key the figures to
        return compute()
    asked = repr(
        (
            first.isoformat(),
            last.isoformat(),
            bucket_minutes,
            None if agents is None else sorted(agents),
            timezone.get_current_timezone_name(),
            timezone.get_default_timezone_name(),
        )
    )
    digest = hashlib.blake2b(asked.encode(), digest_size=16).hexdigest()
    return _memoised(version, f"workforce:agent-time:{digest}", compute)


def observed_shrinkage(first: dt.date, last: dt.date) -> MeasureReading:
    """Measure ``observed_shrinkage``: the share of published scheduled time not available for
    contacts (absent, break, not ready by reason, logged in without a state), from the agent
    states; ``note`` lists the reasons. The staffing page offers it as its shrinkage default."""
    from yuqi.workforce.services import adherence_summary

    summary, as_of = adherence_summary(first, last)
    total = summary.total
    if not total.scheduled_seconds or not total.logged_seconds:
        return MeasureReading(
            None, _("No published roster shift or no agent state in this period.")
        )
    shares = total.shrinkage
    value = sum(shares.values())
    labels = {
        "absent": _("absent"),
        "break": _("break"),
        "logged_in": _("state not detailed"),
        "not_ready": _("not ready"),
    }
    note = ", ".join(
        f"{labels.get(reason, reason)} {share:.1%}"
        for reason, share in sorted(shares.items(), key=lambda kv: -kv[1])
        if share >= 0.0005
    )
    return MeasureReading(
        value,
        n=summary.agents,
        link="/workforce/adherence/",
        note=note,
        source="workforce",
        as_of=as_of,
    )
