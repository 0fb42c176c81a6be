"""The REST API: one NinjaAPI under /api/v1/, each bounded context mounting its router."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest
from ninja import NinjaAPI, Schema

from yuqi import __version__
from yuqi.accounts.api_auth import API_AUTH
from yuqi.core.api_access import api_public
from yuqi.core.api_errors import document_error_responses, install_error_handlers
from yuqi.core.api_parser import JsonObjectParser

api = NinjaAPI(
    title="Yuqi API",
    version="1",
    description=(
        "Yuqi (预期) customer expectation management. Authenticate with the browser session "
        "or `Authorization: Bearer <key>` (keys are issued by an administrator). Errors share "
        'one shape: `{"error": {"status", "code", "message", "fields": [{"path", "message"}]}}`.'
    ),
    auth=API_AUTH,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=JsonObjectParser(),
)
install_error_handlers(api)


class HealthOut(Schema):
    status: str
    database: str
    version: str


@api.get("/v1/health", response=HealthOut, auth=None, tags=["platform"])
@api_public
def health(request: HttpRequest) -> dict[str, str]:
    """Liveness and the database engine in use. Fails (500) if the database cannot answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok", "database": connection.vendor, "version": __version__}


def _mount_routers() -> None:
    from yuqi.accounts.api import router as accounts_router
    from yuqi.audit.api import router as audit_router
    from yuqi.calendars.api import router as calendars_router
    from yuqi.commitments.api import router as commitments_router
    from yuqi.complaints.api import router as complaints_router
    from yuqi.complaints.book_api import router as complaint_book_router
    from yuqi.complaints.measures_api import router as complaint_measures_router
    from yuqi.core.api import router as core_router
    from yuqi.customers.api import router as customers_router
    from yuqi.imports.api import router as imports_router
    from yuqi.improvement.api import router as improvement_router
    from yuqi.insights.api import router as insights_router
    from yuqi.interactions.api import router as interactions_router
    from yuqi.knowledge.api import router as knowledge_router
    from yuqi.operations.kpi.api import router as kpi_router
    from yuqi.operations.staffing.api import router as staffing_router
    from yuqi.privacy.api import router as privacy_router
    from yuqi.quality.api import router as quality_router
    from yuqi.surveys.analysis_api import router as survey_analysis_router
    from yuqi.surveys.api import router as surveys_router
    from yuqi.textmining.api import router as textmining_router
    from yuqi.workforce.api import router as workforce_router

    api.add_router("/v1/", core_router)
    api.add_router("/v1/", accounts_router)
    api.add_router("/v1/audit/", audit_router)
    api.add_router("/v1/", customers_router)
    api.add_router("/v1/", interactions_router)
    api.add_router("/v1/", imports_router)
    api.add_router("/v1/", kpi_router)
    api.add_router("/v1/", staffing_router)
    api.add_router("/v1/", calendars_router)
    api.add_router("/v1/", complaint_measures_router)  # before /complaints/{id}
    api.add_router("/v1/", complaints_router)
    api.add_router("/v1/", complaint_book_router)
    api.add_router("/v1/", commitments_router)
    api.add_router("/v1/", survey_analysis_router)  # before the /surveys/{code} routes
    api.add_router("/v1/", surveys_router)
    api.add_router("/v1/", insights_router)
    api.add_router("/v1/", textmining_router)
    api.add_router("/v1/", knowledge_router)
    api.add_router("/v1/", quality_router)
    api.add_router("/v1/", workforce_router)
    api.add_router("/v1/", improvement_router)
    api.add_router("/v1/", privacy_router)


_mount_routers()
document_error_responses(api)
