"""The public survey pages (``/s/<token>``): no login, reached from an invitation link."""

from django.urls import path

from yuqi.surveys import public_views

app_name = "survey_public"
urlpatterns = [
    path("<str:token>", public_views.survey_answer, name="answer"),
    path("<str:token>/thanks", public_views.survey_thanks, name="thanks"),
    path("<str:token>/opt-out", public_views.survey_opt_out, name="opt_out"),
]
