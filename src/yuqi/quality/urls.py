from django.urls import path

from yuqi.quality import views

app_name = "quality"
urlpatterns = [
    path("", views.home, name="home"),
    path("forms/<int:pk>/", views.form_detail, name="form"),
    path("forms/<int:pk>/edit/", views.form_edit, name="form_edit"),
    path("evaluate/", views.evaluate, name="evaluate"),
    path("evaluations/", views.evaluations, name="evaluations"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation"),
    path("evaluations/<int:pk>/answer/", views.evaluation_answer, name="evaluation_answer"),
    path("evaluations/<int:pk>/review/", views.evaluation_review, name="evaluation_review"),
    path("mine/", views.my_evaluations, name="my_evaluations"),
    path("samples/", views.samples, name="samples"),
    path("samples/<int:pk>/", views.sample_detail, name="sample"),
    path("calibration/", views.calibrations, name="calibrations"),
    path("calibration/<int:pk>/", views.calibration_detail, name="calibration"),
    path(
        "calibration/<int:pk>/score/<int:index>/", views.calibration_score, name="calibration_score"
    ),
    path("flags/", views.flags, name="flags"),
    path("flags/<int:pk>/decide/", views.flag_decide, name="flag_decide"),
    path("flags/run/", views.checks_now, name="checks_now"),
    path("phrases/", views.phrase_add, name="phrase_add"),
    path("phrases/<int:pk>/toggle/", views.phrase_toggle, name="phrase_toggle"),
    path("mystery/", views.mystery, name="mystery"),
    path("mystery/tasks/", views.mystery_task_new, name="mystery_task_new"),
    path("mystery/tasks/<int:pk>/score/", views.mystery_task_score, name="mystery_task_score"),
    path("mystery/calls/", views.peer_call_new, name="peer_call_new"),
    path("mystery/publish/", views.peer_publish, name="peer_publish"),
    path("agents/", views.agents, name="agents"),
    path("agents/<str:code>/", views.agent_detail, name="agent"),
    path("coaching/<int:pk>/done/", views.coaching_done, name="coaching_done"),
    path("training/", views.training, name="training"),
    path("training/import/", views.training_import, name="training_import"),
]
