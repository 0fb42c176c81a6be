from django.urls import path

from yuqi.textmining import views

app_name = "textmining"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("job/", views.job, name="job"),
    path("retrain/", views.retrain, name="retrain"),
    path("review/", views.review, name="review"),
    path("complaints/<int:complaint_id>/label/", views.label, name="label"),
    path("themes/", views.themes, name="themes"),
]
