from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog, set_language

from yuqi.config.api import api
from yuqi.core.access import public
from yuqi.core.views import api_not_found

admin.site.site_header = "Yuqi 预期"
admin.site.site_title = "Yuqi"

urlpatterns = [
    path("", include("yuqi.core.urls")),
    path("accounts/", include("yuqi.accounts.urls")),
    path("audit/", include("yuqi.audit.urls")),
    path("customers/", include("yuqi.customers.urls")),
    path("interactions/", include("yuqi.interactions.urls")),
    path("imports/", include("yuqi.imports.urls")),
    path("operations/", include("yuqi.operations.urls")),
    path("calendars/", include("yuqi.calendars.urls")),
    path("notifications/", include("yuqi.notifications.urls")),
    path("complaints/", include("yuqi.complaints.urls")),
    path("commitments/", include("yuqi.commitments.urls")),
    path("surveys/", include("yuqi.surveys.urls")),
    path("s/", include("yuqi.surveys.public_urls")),
    path("c/", include("yuqi.channels.public_urls")),
    path("channels/", include("yuqi.channels.urls")),
    path("insights/", include("yuqi.insights.urls")),
    path("textmining/", include("yuqi.textmining.urls")),
    path("knowledge/", include("yuqi.knowledge.urls")),
    path("help/", include("yuqi.knowledge.help_urls")),
    path("quality/", include("yuqi.quality.urls")),
    path("workforce/", include("yuqi.workforce.urls")),
    path("improvement/", include("yuqi.improvement.urls")),
    path("privacy/", include("yuqi.privacy.urls")),
    path("mailbox/", include("yuqi.mailbox.urls")),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("i18n/catalog.js", public(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", api_not_found),
]

handler403 = "yuqi.core.errors_views.forbidden"
handler404 = "yuqi.core.errors_views.not_found"
handler500 = "yuqi.core.errors_views.server_error"
