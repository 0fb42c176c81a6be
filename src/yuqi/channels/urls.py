"""Staff pages of the customer channels (``/channels/``)."""

from django.urls import path

from yuqi.channels import views

app_name = "channels"
urlpatterns = [
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("intake/", views.intake_list, name="intake"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
