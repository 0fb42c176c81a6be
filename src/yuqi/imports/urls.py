from django.urls import path

from yuqi.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_index, name="list"),
    path("<int:run_id>/", views.import_detail, name="detail"),
    path("<int:run_id>/errors.csv", views.import_errors, name="errors"),
    path("<int:run_id>/again/", views.import_again, name="again"),
]
