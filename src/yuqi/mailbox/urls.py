from django.urls import path

from yuqi.mailbox import views

app_name = "mailbox"
urlpatterns = [
    path("", views.run_list, name="runs"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
