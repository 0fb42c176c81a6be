from django.urls import path

from yuqi.commitments import views

app_name = "commitments"
urlpatterns = [
    path("", views.commitment_index, name="list"),
    path("new/", views.commitment_new, name="new"),
    path("new/preview/", views.commitment_preview, name="preview"),
    path("<int:pk>/", views.commitment_detail, name="detail"),
    path("<int:pk>/fulfil/", views.commitment_fulfil, name="fulfil"),
    path("<int:pk>/renegotiate/", views.commitment_renegotiate, name="renegotiate"),
    path("<int:pk>/cancel/", views.commitment_cancel, name="cancel"),
    path("<int:pk>/approve/", views.commitment_approve, name="approve"),
    path("<int:pk>/reject/", views.commitment_reject, name="reject"),
]
