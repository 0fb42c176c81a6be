from django.urls import path

from yuqi.calendars import views

app_name = "calendars"
urlpatterns = [
    path("", views.calendar_list, name="list"),
]
