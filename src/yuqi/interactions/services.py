"""Single-interaction writes (bulk loads go through ``importing``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yuqi.core.errors import DomainError
from yuqi.interactions.importing import InteractionImporter
from yuqi.interactions.models import Interaction

EDITABLE_AFTER_THE_FACT = ("category", "notes", "first_contact_resolved", "transferred")


@transaction.atomic
def interaction_create(*, values: dict[str, Any], source: str = "") -> Interaction:
    importer = InteractionImporter()
    checked = importer.check(values, source=source)
    if checked.record is None:
        summary = "; ".join(f"{field}: {reason}" for field, reason in checked.errors)
        raise DomainError(summary, field=checked.errors[0][0], fields=checked.errors)
    record = checked.record
    if Interaction.objects.filter(
        source=record["source"], external_id=record["external_id"]
    ).exists():
        raise DomainError(
            _("Interaction %(id)s from %(source)s already exists.")
            % {"id": record["external_id"], "source": record["source"]},
            field="external_id",
            code="conflict",
        )
    rows, _kept, rejected = importer.prepare([record])
    if rejected:
        _index, field, reason = rejected[0]
        raise DomainError(f"{field}: {reason}", field=field)
    created = Interaction(**rows[0])
    created.save()
    return created


@transaction.atomic
def interaction_update(*, interaction: Interaction, changes: dict[str, Any]) -> Interaction:
    unknown = set(changes) - set(EDITABLE_AFTER_THE_FACT)
    if unknown:
        raise DomainError(
            _("Only %(fields)s can be changed after the fact.")
            % {"fields": ", ".join(EDITABLE_AFTER_THE_FACT)},
            field=sorted(unknown)[0],
        )
    for name, value in changes.items():
        nullable = name in ("category", "notes") or Interaction._meta.get_field(name).null
        if value is None and not nullable:
            raise DomainError(_("This field cannot be empty (null)."), field=name)
    locked = Interaction.objects.select_for_update().get(pk=interaction.pk)
    for name, value in changes.items():
        setattr(locked, name, "" if value is None and name in ("category", "notes") else value)
    locked.save(update_fields=[*changes, "updated_at"])
    return locked
