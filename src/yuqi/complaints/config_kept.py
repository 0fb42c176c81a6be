"""The complaint configuration kept per process under its data version.

The ticket page, the work queue and the forms read the same few configuration rows on every
request: the levels, the root causes, the category tree, the playbooks and their steps. They
change a few times a year, by a manager in the admin. A server process keeps what it read of
them under the token of :class:`~yuqi.complaints.models_config.ComplaintConfigVersion`, and a
request asks for the token once (one small query, :func:`config_version`) instead of reading
the rows again.

Every write of the configuration moves the version on, in the writer's transaction:

* a saved or deleted row (services, the admin, ``loaddata`` too): ``post_save`` and
  ``post_delete`` receivers (:func:`connect`); a queryset's ``delete()`` goes through the
  collector, which sends ``post_delete`` because a receiver is connected;
* ``update()``, ``bulk_create()`` and ``bulk_update()``: the models' manager
  (:class:`~yuqi.complaints.models_config.ConfigQuerySet`);
* migrations (their ``RunPython`` writes use historical models, which send no signals) and a
  flush: every ``migrate`` ends with the complaints app's ``post_migrate``, which refills the
  defaults and then moves the version on.

So a change is seen by every process on its next request. A token is drawn at random and never
comes back, so rows read inside a transaction that was rolled back are never taken for the
committed ones, and a reader that reads the token before the rows may keep rows newer than
their token, never older.

What is kept is handed out to every request: frozen dataclasses and tuples, never model
instances a caller could change or save. Each carries the model's own ``label`` (the user's
language at the time it is read), so a kept value serves every language unless its key says
otherwise (:func:`category_choices` is kept per language).

API (also for other pages of the complaints context):

* :func:`levels`, :func:`root_causes`: every row in the model's order; :func:`categories`:
  every category by primary key;
* :func:`category_choices`: the active categories as form choices, "parent › child";
* :func:`playbooks`: the active playbooks with their steps; :func:`playbooks_of`: those of one
  ticket's level and complainer type, level first;
* :func:`with_kept_rows`: a ticket read for showing, given its kept level, category and root
  cause instead of joining them;
* :func:`kept`: anything else worked out from the configuration alone, kept under the same
  version (the key must name every input but the configuration, e.g. the language);
* :func:`config_version`: the version itself, read once per GET request.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils.translation import get_language

from yuqi.core.request_memo import memoised

#: ((database name, version), {key: value}): what this process keeps, for one version.
_KEPT: tuple[tuple[str, str] | None, dict[Any, Any]] = (None, {})


@memoised
def config_version() -> str | None:
    """``token:number`` of the configuration's version row (one query, once per GET request);
    None while the row is missing (everything is then read afresh)."""
    from yuqi.complaints.models_config import ComplaintConfigVersion

    table = connection.ops.quote_name(ComplaintConfigVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token, number FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    return None if row is None else f"{row[0]}:{row[1]}"


def kept[T](key: Any, build: Callable[[], T]) -> T:
    """``build()``, worked out once per process and configuration version. ``build`` must
    read nothing but the configuration (and what ``key`` names) and return a value no caller
    changes (a tuple, a frozen dataclass)."""
    global _KEPT
    version = config_version()
    if version is None:
        return build()
    where = (str(connection.settings_dict["NAME"]), version)
    current = _KEPT
    if current[0] != where:
        current = (where, {})
        _KEPT = current
    values = current[1]
    if key not in values:
        values[key] = build()
    return values[key]


def _english() -> bool:
    return (get_language() or "").startswith("en")


class _Named:
    """A kept row's ``label`` and ``str()`` as the model's ``_Bilingual.label`` gives them: the
    user's language, else the Chinese name, else the code."""

    code: str
    name: str
    name_en: str

    @property
    def label(self) -> str:
        return (self.name_en if _english() else self.name) or self.name or self.code

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Level(_Named):
    pk: int
    code: str
    name: str
    name_en: str
    active: bool
    rank: int
    is_regulator: bool
    handling: str


@dataclass(frozen=True)
class RootCause(_Named):
    pk: int
    code: str
    name: str
    name_en: str
    active: bool
    position: int


@dataclass(frozen=True)
class Category(_Named):
    pk: int
    code: str
    name: str
    name_en: str
    active: bool
    parent_id: int | None
    position: int


@dataclass(frozen=True)
class PlaybookStep:
    pk: int
    code: str
    position: int
    text: str
    text_en: str

    @property
    def label(self) -> str:
        return (self.text_en if _english() else self.text) or self.text

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Playbook(_Named):
    pk: int
    code: str
    scope: str
    level_id: int | None
    complainer_type: str | None
    name: str
    name_en: str
    principle: str
    principle_en: str
    tell: str
    tell_en: str
    contact_every_hours: int | None
    requires_senior_owner: bool
    pr_legal_notice: bool
    by_the_book: bool
    retention_callback_days: int | None
    steps: tuple[PlaybookStep, ...]

    @property
    def principle_label(self) -> str:
        return (self.principle_en if _english() else self.principle) or self.principle

    @property
    def tell_label(self) -> str:
        return (self.tell_en if _english() else self.tell) or self.tell


def _fields(cls: type) -> list[str]:
    return [field.name for field in dataclasses.fields(cls) if field.name not in ("pk", "steps")]


def levels() -> tuple[Level, ...]:
    """Every level (active or not) by rank."""

    def build() -> tuple[Level, ...]:
        from yuqi.complaints.models import ComplaintLevel

        names = _fields(Level)
        rows = ComplaintLevel.objects.order_by("rank").values_list("pk", *names)
        return tuple(Level(*row) for row in rows)

    return kept("levels", build)


def root_causes() -> tuple[RootCause, ...]:
    """Every root cause (active or not) in its order."""

    def build() -> tuple[RootCause, ...]:
        from yuqi.complaints.models import RootCause as Row

        rows = Row.objects.order_by("position", "code").values_list("pk", *_fields(RootCause))
        return tuple(RootCause(*row) for row in rows)

    return kept("root_causes", build)


def categories() -> dict[int, Category]:
    """Every category (active or not) by primary key."""

    def build() -> dict[int, Category]:
        from yuqi.complaints.models import ComplaintCategory

        rows = ComplaintCategory.objects.values_list("pk", *_fields(Category))
        return {row[0]: Category(*row) for row in rows}

    return dict(kept("categories", build))


def category_choices() -> tuple[tuple[str, str], ...]:
    """The active categories in their order as ``(code, label)``, a child as
    "parent › child" (each label as ``_Bilingual.label``), in the user's language."""
    english = _english()

    def label(code: str, name: str, name_en: str) -> str:
        return (name_en if english else name) or name or code

    def build() -> tuple[tuple[str, str], ...]:
        from yuqi.complaints.models import ComplaintCategory

        rows = ComplaintCategory.objects.filter(active=True).values_list(
            "code",
            "name",
            "name_en",
            "parent_id",
            "parent__code",
            "parent__name",
            "parent__name_en",
        )
        return tuple(
            (
                code,
                f"{label(p_code, p_name, p_name_en)} › {label(code, name, name_en)}"
                if parent_id is not None
                else label(code, name, name_en),
            )
            for code, name, name_en, parent_id, p_code, p_name, p_name_en in rows
        )

    return kept(("category_choices", english), build)


def with_kept_rows(ticket: Any) -> Any:
    """The ticket (read without its level, category and root cause) with those three taken
    from what is kept, for a page that only shows them (never for a ticket a service will
    change: they are not model instances). One not kept (written since the version was read)
    is left to be read from the database when asked for."""
    by_pk = {lv.pk: lv for lv in levels()}
    causes = {rc.pk: rc for rc in root_causes()}
    found = {
        "level": by_pk.get(ticket.level_id),
        "category": categories().get(ticket.category_id) if ticket.category_id else None,
        "root_cause": causes.get(ticket.root_cause_id) if ticket.root_cause_id else None,
    }
    for name, row in found.items():
        if row is None and getattr(ticket, f"{name}_id") is not None:
            continue  # not kept: read when asked for
        ticket._meta.get_field(name).set_cached_value(ticket, row)
    return ticket


def playbooks() -> tuple[Playbook, ...]:
    """The active playbooks, each with its steps in their order."""

    def build() -> tuple[Playbook, ...]:
        from yuqi.complaints.models_book import Playbook as Row
        from yuqi.complaints.models_book import PlaybookStep as StepRow

        steps: dict[int, list[PlaybookStep]] = {}
        step_fields = _fields(PlaybookStep)
        for playbook_id, pk, *values in StepRow.objects.filter(playbook__active=True).values_list(
            "playbook_id", "pk", *step_fields
        ):
            steps.setdefault(playbook_id, []).append(PlaybookStep(pk, *values))
        rows = Row.objects.filter(active=True).values_list("pk", *_fields(Playbook))
        return tuple(
            Playbook(*row, steps=tuple(steps.get(row[0], ())))  # type: ignore[misc]
            for row in rows
        )

    return kept("playbooks", build)


def playbooks_of(*, level_id: int | None, complainer_type: str) -> list[Playbook]:
    """The active playbooks of a ticket's level and (effective) complainer type, the level's
    first, as ``yuqi.complaints.book.playbooks_for`` orders them."""
    found = [
        p
        for p in playbooks()
        if (level_id is not None and p.level_id == level_id)
        or (complainer_type and p.complainer_type == complainer_type)
    ]
    return sorted(found, key=lambda p: (p.scope != "level", p.code))


def bump() -> None:
    """Move the configuration's version on (in the writer's transaction)."""
    from yuqi.complaints.models_config import ComplaintConfigVersion

    ComplaintConfigVersion.bump()


def _on_write(sender: type, **kwargs: Any) -> None:
    bump()  # loaddata's raw saves too: the rows did change


def bump_after_migrate() -> None:
    """After ``migrate`` or a flush (the complaints app's ``post_migrate``): the migrations'
    writes send no signals. Nothing happens on a database migrated back to before the
    version row's table."""
    try:
        with transaction.atomic():
            bump()
    except DatabaseError:
        pass


def connect() -> None:
    """Called from the app's ready(): every saved or deleted configuration row moves the
    version on."""
    from django.db.models.signals import post_delete, post_save

    from yuqi.complaints.models import CONFIG_MODELS

    for model in CONFIG_MODELS:
        uid = f"complaints-config-{model.__name__}"
        post_save.connect(_on_write, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_on_write, sender=model, dispatch_uid=uid + "-delete")
