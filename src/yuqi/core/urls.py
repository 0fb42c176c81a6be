from django.urls import path

from yuqi.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("system/", views.system, name="system"),
]
