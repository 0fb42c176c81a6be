from django.urls import path

from yuqi.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("health/", views.health, name="health"),
    path("articles/new/", views.article_new, name="new"),
    path("articles/<int:article_id>/", views.article_detail, name="detail"),
    path("articles/<int:article_id>/edit/", views.article_edit, name="edit"),
    path("articles/<int:article_id>/workflow/", views.article_workflow, name="workflow"),
    path("articles/<int:article_id>/diff/", views.article_diff, name="diff"),
    path("articles/<int:article_id>/feedback/", views.article_feedback, name="feedback"),
]
