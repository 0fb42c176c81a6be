from django.urls import path

from yuqi.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_index, name="list"),
    path("lookup/", views.customer_lookup, name="lookup"),
    path("lookup", views.customer_lookup),  # CTI links: /customers/lookup?phone=…
    path("new/", views.customer_new, name="new"),
    path("<str:external_id>/", views.customer_detail, name="detail"),
]
