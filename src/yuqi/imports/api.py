from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from yuqi.core.api_access import api_requires
from yuqi.core.api_types import Id
from yuqi.imports.models import ImportRun
from yuqi.imports.selectors import import_runs

router = Router(tags=["imports"])


class ImportRunOut(Schema):
    id: int
    kind: str
    file_name: str
    status: str
    message: str
    progress: float
    encoding: str
    sheet: str
    rows_read: int
    rows_created: int
    rows_updated: int
    rows_unchanged: int
    rows_rejected: int
    created_at: datetime
    finished_at: datetime | None
    file_purged_at: datetime | None = Field(
        None, description="when the uploaded file was deleted (YUQI_UPLOAD_RETENTION_DAYS)"
    )


@router.get("/imports", response=list[ImportRunOut])
@paginate
@api_requires("imports.view_importrun")
def imports(request: HttpRequest) -> QuerySet[ImportRun]:
    return import_runs()


@router.get("/imports/{int:run_id}", response=ImportRunOut)
@api_requires("imports.view_importrun")
def import_run(request: HttpRequest, run_id: Id) -> ImportRun:
    return get_object_or_404(import_runs(), pk=run_id)
