from yuqi.operations import (
    dashboard_views,
    kpi_views,
    pyramid_views,
    scorecard_views,
    staffing_views,
)

app_name = "operations"
urlpatterns = [
    *dashboard_views.urlpatterns,
    *kpi_views.urlpatterns,
    *staffing_views.urlpatterns,
    *pyramid_views.urlpatterns,
    *scorecard_views.urlpatterns,
]
