from django.urls import path

from yuqi.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.message_list, name="list"),
]
