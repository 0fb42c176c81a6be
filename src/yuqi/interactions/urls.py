from django.urls import path

from yuqi.interactions import views

app_name = "interactions"
urlpatterns = [
    path("", views.interaction_index, name="list"),
    path("log/<str:external_id>/", views.contact_log_page, name="log"),
]
