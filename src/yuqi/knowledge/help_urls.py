from django.urls import path

from yuqi.knowledge import views

app_name = "help"

urlpatterns = [
    path("", views.help_home, name="home"),
    path("a/<int:article_id>/", views.help_article, name="article"),
    path("a/<int:article_id>/answered/", views.help_answered, name="answered"),
]
