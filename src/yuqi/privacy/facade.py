"""What other contexts may know of privacy: the registries they fill and one contact check.

* :func:`register_personal_data_source` — each context that stores something about a
  customer registers, in its ``AppConfig.ready()``, how to export it (a list of JSON-ready
  records) and how to erase it (anonymise in place, keeping what aggregate figures need).
  The access/copy export and the erasure walk every registered source, so a context born
  later adds its own without touching this one.
* :func:`register_retention_purger` — a data class (complaint text, notes, survey answers,
  message log, uploads…) and the function that purges what is older than a cut-off; the
  retention schedule (editable in the admin) says how old.
* :func:`may_contact` — whether the consent ledger lets Yuqi contact a customer for a
  purpose (survey, marketing); sending code asks it before it sends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from yuqi.domain.erasure import Identifiers
from yuqi.privacy.purposes import PURPOSE_DEFAULTS

__all__ = [
    "DataSubject",
    "Erased",
    "PersonalDataSource",
    "RetentionPurger",
    "customers_consenting",
    "may_contact",
    "personal_data_sources",
    "record_consent_withdrawal",
    "refusing_contact",
    "register_personal_data_source",
    "register_retention_purger",
    "retention_purgers",
]


@dataclass(frozen=True)
class DataSubject:
    """The person a request is about: the customer's key, external id and identifiers."""

    customer_id: int
    external_id: str
    identifiers: Identifiers


@dataclass(frozen=True)
class Erased:
    """What one source's erasure did: rows changed (or files rewritten) and notes in plain
    words (e.g. which complaints were anonymised while still open)."""

    rows: int = 0
    notes: tuple[str, ...] = ()


ExportFn = Callable[[DataSubject], list[dict[str, Any]]]
EraseFn = Callable[[DataSubject], Erased]


@dataclass(frozen=True)
class PersonalDataSource:
    name: str
    label: object
    export: ExportFn
    erase: EraseFn
    purpose: object = ""
    categories: object = ""
    order: int = 100


@dataclass(frozen=True)
class RetentionPurger:
    data_class: str
    label: object
    purge: Callable[[datetime], int]
    default_days: int = 0


_SOURCES: dict[str, PersonalDataSource] = {}
_PURGERS: dict[str, RetentionPurger] = {}


def register_personal_data_source(
    name: str,
    export_fn: ExportFn,
    erase_fn: EraseFn,
    *,
    label: object = "",
    purpose: object = "",
    categories: object = "",
    order: int = 100,
) -> None:
    """Register a context's personal data (registering ``name`` again replaces it).

    ``order``: erasures run from low to high; the customer record runs late (900) and the
    audit log last (1000), so it also scrubs what the other erasures logged."""
    _SOURCES[name] = PersonalDataSource(
        name, label or name, export_fn, erase_fn, purpose, categories, order
    )


def personal_data_sources() -> list[PersonalDataSource]:
    return sorted(_SOURCES.values(), key=lambda source: (source.order, source.name))


def register_retention_purger(
    data_class: str, purge_fn: Callable[[datetime], int], *, label: object, default_days: int
) -> None:
    """Register the purge of a data class: ``purge_fn(cutoff)`` erases what is older than
    ``cutoff`` and returns how many records it changed."""
    _PURGERS[data_class] = RetentionPurger(data_class, label, purge_fn, default_days)


def retention_purgers() -> list[RetentionPurger]:
    return list(_PURGERS.values())


def customers_consenting(customer_ids: Iterable[int], purpose: str) -> set[int]:
    """Of ``customer_ids``, those the consent ledger lets Yuqi contact for ``purpose``
    (every one for ``service``): :func:`may_contact` for a list, in a few queries."""
    wanted = set(customer_ids)
    if purpose == "service":
        return wanted
    if purpose not in PURPOSE_DEFAULTS:
        raise ValueError(f"unknown contact purpose {purpose!r}")
    from yuqi.privacy.selectors import consenting

    return consenting(wanted, purpose)


def may_contact(customer_id: int | None, purpose: str) -> bool:
    """Whether the consent ledger allows contacting the customer for ``purpose`` (``survey``,
    ``marketing``; ``service`` — about their own ticket or promise — is always allowed). An
    erased customer may not be contacted for any purpose but service."""
    if purpose == "service" or customer_id is None:
        return True
    if purpose not in PURPOSE_DEFAULTS:
        raise ValueError(f"unknown contact purpose {purpose!r}")
    from yuqi.privacy.selectors import consent_given

    return consent_given(customer_id, purpose)


from yuqi.privacy.toolkit import (  # noqa: E402  (the helpers contexts use in their functions)
    ERASED,
    Holding,
    delete_file,
    erase_holdings,
    erase_in_file,
    erase_rows,
    erase_rows_mentioning,
    export_holdings,
    jsonable,
)

__all__ += [
    "ERASED",
    "Holding",
    "delete_file",
    "erase_holdings",
    "erase_in_file",
    "erase_rows",
    "erase_rows_mentioning",
    "export_holdings",
    "jsonable",
]


def refusing_contact(purpose: str, customer_ids: Iterable[int] | None = None) -> set[int]:
    """The customers (among ``customer_ids``, else all) whom the consent ledger does not let
    Yuqi contact for ``purpose``: a withdrawal in force, no consent where one is needed, or
    erased. One query per table, for a campaign's sampling frame."""
    from yuqi.privacy.selectors import refusing

    return refusing(purpose, None if customer_ids is None else set(customer_ids))


def record_consent_withdrawal(customer_id: int, purpose: str, source: str) -> None:
    """Another context heard the customer say no (e.g. the survey opt-out link)."""
    from yuqi.privacy.selectors import record_withdrawal

    record_withdrawal(customer_id, purpose, source)
