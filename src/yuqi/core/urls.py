from django.urls import path

from yuqi.core import approvals_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("system/", views.system, name="system"),
    path("approvals/", approvals_views.approvals_inbox, name="approvals"),
    path(
        "approvals/<slug:source>/<int:item_id>/",
        approvals_views.approval_decide,
        name="approval_decide",
    ),
]
