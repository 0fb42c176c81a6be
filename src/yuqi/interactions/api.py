from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from yuqi.core.api_access import api_requires
from yuqi.core.api_types import Id
from yuqi.customers.facade import customer_ids_by_external_id
from yuqi.imports.bulk import bulk_load
from yuqi.imports.schemas import BulkIn, BulkOut, bulk_out
from yuqi.interactions import services
from yuqi.interactions.importing import InteractionImporter
from yuqi.interactions.models import Interaction
from yuqi.interactions.schemas import (
    InteractionFilterIn,
    InteractionIn,
    InteractionOut,
    InteractionPatch,
)
from yuqi.interactions.selectors import InteractionFilter, interaction_list

router = Router(tags=["interactions"])


@router.get("/interactions", response=list[InteractionOut])
@paginate
@api_requires("interactions.view_interaction")
def interactions(request: HttpRequest, filters: Query[InteractionFilterIn]) -> QuerySet:
    """Contacts, newest first, filtered by date range, channel, queue, agent, abandonment."""
    data = filters.dict()
    customer = data.pop("customer")
    customer_id = customer_ids_by_external_id([customer]).get(customer, -1) if customer else None
    return interaction_list(InteractionFilter(**data, customer_id=customer_id))


@router.get("/interactions/{int:interaction_id}", response=InteractionOut)
@api_requires("interactions.view_interaction")
def interaction(request: HttpRequest, interaction_id: Id) -> Interaction:
    return get_object_or_404(interaction_list(), pk=interaction_id)


@router.post("/interactions", response={201: InteractionOut})
@api_requires("interactions.add_interaction")
def interaction_create(request: HttpRequest, payload: InteractionIn) -> Status:
    values = payload.dict(exclude_unset=True)
    created = services.interaction_create(values=values, source=values.pop("source", ""))
    return Status(201, get_object_or_404(interaction_list(), pk=created.pk))


@router.patch("/interactions/{int:interaction_id}", response=InteractionOut)
@api_requires("interactions.change_interaction")
def interaction_update(
    request: HttpRequest, interaction_id: Id, payload: InteractionPatch
) -> Interaction:
    found = get_object_or_404(Interaction, pk=interaction_id)
    services.interaction_update(interaction=found, changes=payload.dict(exclude_unset=True))
    return get_object_or_404(interaction_list(), pk=interaction_id)


@router.post("/interactions/bulk", response=BulkOut)
@api_requires("interactions.add_interaction", "interactions.change_interaction")
def interactions_bulk(request: HttpRequest, payload: BulkIn) -> dict:
    """Create or update up to 5,000 contacts by (source, external id); a result per item."""
    return bulk_out(bulk_load(InteractionImporter(), payload.items, source=payload.source))
