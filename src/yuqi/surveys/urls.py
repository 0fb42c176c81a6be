from django.urls import path

from yuqi.surveys import analysis_views, views, wave_views

app_name = "surveys"
urlpatterns = [
    *analysis_views.urlpatterns,  # first: before campaigns/<code>/<action>/
    *wave_views.urlpatterns,
    path("", views.survey_index, name="list"),
    path("new/", views.survey_new, name="new"),
    path("templates/install/", views.survey_templates_install, name="install_templates"),
    path("campaigns/", views.campaign_index, name="campaigns"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<slug:code>/", views.campaign_detail, name="campaign"),
    path("campaigns/<slug:code>/<slug:action>/", views.campaign_action, name="campaign_action"),
    path("calls/", views.call_index, name="calls"),
    path("calls/<int:invitation_id>/", views.call_entry, name="call_entry"),
    path("follow-ups/", views.follow_up_index, name="follow_ups"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("<slug:code>/", views.survey_detail, name="detail"),
    path("<slug:code>/preview/", views.survey_preview, name="preview"),
    path("<slug:code>/questions/", views.question_add, name="question_add"),
    path(
        "<slug:code>/questions/<slug:question_code>/edit/",
        views.question_edit,
        name="question_edit",
    ),
    path(
        "<slug:code>/questions/<slug:question_code>/delete/",
        views.question_delete,
        name="question_delete",
    ),
    path(
        "<slug:code>/questions/<slug:question_code>/move/",
        views.question_move,
        name="question_move",
    ),
]
