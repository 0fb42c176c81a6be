from django.urls import path

from yuqi.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_index, name="list"),
    path("<str:external_id>/", views.customer_detail, name="detail"),
]
