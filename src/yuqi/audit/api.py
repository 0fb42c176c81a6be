from auditlog.models import LogEntry
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from yuqi.audit.schemas import AuditEntryOut, AuditFilterIn
from yuqi.audit.selectors import AuditFilter, audit_entries
from yuqi.core.api_access import api_requires

router = Router(tags=["audit"])


@router.get("/entries", response=list[AuditEntryOut])
@paginate
@api_requires("auditlog.view_logentry")
def entries(request: HttpRequest, filters: Query[AuditFilterIn]) -> QuerySet[LogEntry]:
    """The audit log, newest first: who changed what, when, field by field (read-only)."""
    return audit_entries(AuditFilter(**filters.dict()))
