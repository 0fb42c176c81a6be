"""The tier guard: VIP perks must not be advertised to customers who are not entitled to them
([seed-000] "如果宣传引导方式或途径不当，这些特殊的服务信息就可能会被普通客户所获知，普通客户在
不知情的情况下就会形成相应的期望…以致造成客户的不满").

Tiers are ranked 1 (highest) downward; a customer of rank ``r`` is entitled to a perk whose
lowest entitled tier has rank ``m`` when ``r <= m``. A customer without a tier is entitled to
no perk. A perk is *mentioned* by a text when one of its names appears in it (case-insensitive,
whitespace ignored, so "VIP 专席" matches "VIP专席").

The same rule read the other way finds *perk leakage*: a complaint from a customer below a
perk's tier that asks for the perk shows the perk has become an ordinary customer's
expectation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class PerkTerm:
    """A perk as the guard reads it: its code, the names it is known by, the rank of the
    lowest tier entitled to it."""

    code: str
    names: tuple[str, ...]
    min_rank: int


@dataclass(frozen=True)
class GuardFinding:
    """A perk the text mentions and how many of the audience are below its tier."""

    code: str
    name: str  # the name found in the text
    min_rank: int
    below: int


def _squash(text: str) -> str:
    return "".join(text.split()).casefold()


def perks_mentioned(text: str, perks: Iterable[PerkTerm]) -> list[tuple[PerkTerm, str]]:
    """The perks ``text`` names, each with the first of its names found, in the given order."""
    haystack = _squash(text)
    found = []
    for perk in perks:
        for name in perk.names:
            needle = _squash(name)
            if needle and needle in haystack:
                found.append((perk, name))
                break
    return found


def entitled(rank: int | None, perk: PerkTerm) -> bool:
    """Whether a customer of tier rank ``rank`` (None: no tier) may have ``perk``."""
    return rank is not None and rank <= perk.min_rank


def tier_guard(
    text: str, perks: Iterable[PerkTerm], audience: Mapping[int | None, int]
) -> list[GuardFinding]:
    """Perks ``text`` mentions that part of the audience is not entitled to.

    ``audience`` counts the recipients per tier rank (``None``: without a tier). A perk that
    everyone in the audience is entitled to is no finding.
    """
    findings = []
    for perk, name in perks_mentioned(text, perks):
        below = sum(n for rank, n in audience.items() if not entitled(rank, perk))
        if below:
            findings.append(GuardFinding(perk.code, name, perk.min_rank, below))
    return findings


def perk_leakage(text: str, perks: Iterable[PerkTerm], rank: int | None) -> list[str]:
    """Codes of the perks a complaint of a customer of tier rank ``rank`` asks for without
    being entitled to them (perk leakage evidence)."""
    return [perk.code for perk, _name in perks_mentioned(text, perks) if not entitled(rank, perk)]
