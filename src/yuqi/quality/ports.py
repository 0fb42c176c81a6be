"""Calls out to other contexts, through their facades only (imports inside the functions, so
a test can replace one)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any


def qa_contacts(**kwargs: Any) -> list[Any]:
    from yuqi.interactions.facade import qa_contacts as contacts

    return contacts(**kwargs)


def agent_for_user(user_id: int | None) -> Any:
    from yuqi.interactions.facade import agent_for_user as find

    return find(user_id)


def agent_refs(codes: Iterable[str] | None = None) -> dict[str, Any]:
    from yuqi.interactions.facade import agent_refs as refs

    return refs(codes)


def agent_handling(start: datetime, end: datetime) -> dict[str, Any]:
    from yuqi.interactions.facade import agent_handling as handling

    return handling(start=start, end=end)


def agents_handling_count(start: datetime, end: datetime) -> int:
    from yuqi.interactions.facade import agents_handling_count as count

    return count(start=start, end=end)


def promises_for(
    *, interaction_ids: Iterable[int] = (), complaint_ids: Iterable[int] = ()
) -> list[Any]:
    from yuqi.commitments.facade import commitments_for_contacts

    return commitments_for_contacts(interaction_ids=interaction_ids, complaint_ids=complaint_ids)


def promised_contacts(interaction_ids: Iterable[int]) -> set[int]:
    return {p.interaction_id for p in promises_for(interaction_ids=interaction_ids)}


def broken_promise_contacts(interaction_ids: Iterable[int]) -> set[int]:
    return {
        p.interaction_id
        for p in promises_for(interaction_ids=interaction_ids)
        if p.status == "broken"
    }


def broken_by_promiser(since: datetime, until: datetime) -> dict[int, int]:
    from yuqi.commitments.facade import broken_counts_by_promiser

    return broken_counts_by_promiser(since=since, until=until)


def low_survey_contacts(interaction_ids: Iterable[int], *, at_most: float = 2) -> dict[int, float]:
    """Contacts whose post-contact CSAT (1–5) was ``at_most`` or lower: id → the answer."""
    from yuqi.surveys.facade import contact_ratings

    return {
        r.interaction_id: r.csat
        for r in contact_ratings(interaction_ids=interaction_ids)
        if r.interaction_id and r.csat <= at_most
    }


def contact_ratings(
    *, interaction_ids: Iterable[int] = (), complaint_ids: Iterable[int] = ()
) -> list[Any]:
    from yuqi.surveys.facade import contact_ratings as ratings

    return ratings(interaction_ids=interaction_ids, complaint_ids=complaint_ids)


def complaint_ref(complaint_id: int) -> Any:
    from yuqi.complaints.facade import complaint_refs

    return complaint_refs([complaint_id]).get(complaint_id)


def complaint_text(complaint_id: int) -> str:
    from yuqi.complaints.facade import complaint_texts

    found = complaint_texts([complaint_id]).get(complaint_id)
    return found.text if found else ""


def complaint_timeline(complaint_id: int) -> list[dict[str, str]]:
    """The ticket's timeline as plain lines (stored with the evaluation as evidence)."""
    from yuqi.complaints.facade import complaint_timeline as timeline

    return [
        {"at": e.at.isoformat(), "label": e.label, "by": e.by, "text": e.text[:300]}
        for e in timeline(complaint_id)
    ]


def complaints_opened(start: datetime, end: datetime) -> list[Any]:
    from yuqi.complaints.facade import complaint_ids, complaint_refs

    ids = complaint_ids(opened_from=start, opened_to=end)
    refs = complaint_refs(ids)
    return [refs[i] for i in ids if i in refs]


def complaint_texts_since(since: datetime, until: datetime) -> dict[int, tuple[str, str]]:
    """Tickets opened in [since, until): id → (text, owner's agent work number)."""
    from yuqi.complaints.facade import complaint_texts

    refs = complaints_opened(since, until)
    texts = complaint_texts([r.id for r in refs])
    agents: dict[int, str] = {}
    for ref in refs:
        if ref.owner_id and ref.owner_id not in agents:
            agent = agent_for_user(ref.owner_id)
            agents[ref.owner_id] = agent.code if agent else ""
    return {
        r.id: (texts[r.id].text, agents.get(r.owner_id or 0, "")) for r in refs if r.id in texts
    }


def ticket_notes_since(since: datetime, until: datetime) -> list[tuple[int, int, str, str]]:
    """Notes written on tickets in [since, until): (event id, ticket id, text, writer's agent
    work number, "" when the writer is not an agent)."""
    from yuqi.complaints.facade import notes_written
    from yuqi.interactions.facade import agents_for_users

    notes = notes_written(since, until)
    agents = agents_for_users({note.by_id for note in notes})
    return [
        (
            note.event_id,
            note.complaint_id,
            note.text,
            agents[note.by_id].code if note.by_id in agents else "",
        )
        for note in notes
    ]


def peer_values_record(records: list[dict]) -> tuple[int, int, int]:
    from yuqi.insights.facade import peer_values_record as record

    return record(records)
