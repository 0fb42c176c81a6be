from django.urls import path

from yuqi.complaints import book_views, queue_views, views

app_name = "complaints"
urlpatterns = [
    path("", views.complaint_queue_page, name="queue"),
    path("new/", views.complaint_new, name="new"),
    path("measures/", views.complaint_measures_page, name="measures"),
    path("bulk-assign/", queue_views.bulk_assign, name="bulk_assign"),
    path("views/", queue_views.saved_view_create, name="save_view"),
    path("views/<int:pk>/delete/", queue_views.saved_view_remove, name="delete_view"),
    path("feedback/", book_views.feedback_page, name="feedback"),
    path("<str:number>/", views.complaint_detail, name="detail"),
    path(
        "<str:number>/appeals/<int:appeal_id>/pack.pdf",
        book_views.appeal_pack,
        name="appeal_pack",
    ),
]
