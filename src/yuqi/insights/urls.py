from django.urls import path

from yuqi.insights import register_views, views

app_name = "insights"
urlpatterns = [
    path("benchmarks/", views.benchmarks, name="benchmarks"),
    path("benchmarks/download.<slug:fmt>", views.benchmarks_download, name="benchmarks_download"),
    path(
        "benchmarks/offering-gaps.<slug:fmt>",
        views.offering_gaps_download,
        name="offering_gaps_download",
    ),
    path("benchmarks/import/", views.benchmarks_import, name="benchmarks_import"),
    *register_views.urlpatterns,
]
