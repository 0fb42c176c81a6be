from yuqi.operations.dashboard import views as dashboard_views
from yuqi.operations.kpi import views as kpi_views
from yuqi.operations.pyramid import views as pyramid_views
from yuqi.operations.scorecard import views as scorecard_views
from yuqi.operations.staffing import views as staffing_views

app_name = "operations"
urlpatterns = [
    *dashboard_views.urlpatterns,
    *kpi_views.urlpatterns,
    *staffing_views.urlpatterns,
    *pyramid_views.urlpatterns,
    *scorecard_views.urlpatterns,
]
