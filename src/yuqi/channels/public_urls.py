"""The customer's own pages (``/c/``): no login."""

from django.urls import path

from yuqi.channels import public_views

app_name = "channels_public"
urlpatterns = [
    path("", public_views.intake_start, name="intake"),
    path("new", public_views.intake_details, name="intake_details"),
    path("done", public_views.intake_done, name="intake_done"),
    path("status", public_views.status_start, name="status"),
    path("status/verify", public_views.status_verify, name="status_verify"),
    path("status/view", public_views.status_show, name="status_view"),
    path("stop", public_views.stop_start, name="stop"),
    path("stop/confirm", public_views.stop_confirm, name="stop_confirm"),
]
