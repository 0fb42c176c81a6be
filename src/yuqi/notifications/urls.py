from django.urls import path

from yuqi.notifications import alerts_views, receipt_views, views

app_name = "notifications"
urlpatterns = [
    path("", views.message_list, name="list"),
    path("alerts/", alerts_views.alert_list, name="alerts"),
    path("alerts/bell/", alerts_views.alert_bell, name="alert_bell"),
    path("alerts/read/", alerts_views.alerts_read, name="alerts_read"),
    path(
        "sms/receipt/<str:provider>/<str:token>/",
        receipt_views.sms_receipt,
        name="sms_receipt",
    ),
]
