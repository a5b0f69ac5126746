from django.urls import path

from coaching import views

urlpatterns = [
    path("drills/", views.drill_list, name="drill-list"),
    path("drills/new/", views.drill_create, name="drill-create"),
    path("drills/<slug:slug>/", views.drill_detail, name="drill-detail"),
    path("drills/<slug:slug>/edit/", views.drill_edit, name="drill-edit"),
    path("todo/", views.todo, name="todo"),
    path("coach/", views.coach_inbox, name="coach-inbox"),
    path("coach/assign/", views.assign, name="assign"),
    path("coach/invite/", views.coach_invite, name="coach-invite"),
    path("coach/links/<int:link_id>/respond/", views.link_respond, name="link-respond"),
    path("coach/links/<int:link_id>/end/", views.link_end, name="link-end"),
    path(
        "suggestions/<int:suggestion_id>/approve/",
        views.suggestion_approve,
        name="suggestion-approve",
    ),
    path(
        "suggestions/<int:suggestion_id>/dismiss/",
        views.suggestion_dismiss,
        name="suggestion-dismiss",
    ),
    path("assignments/<int:assignment_id>/", views.assignment_detail, name="assignment-detail"),
    path("assignments/<int:assignment_id>/sessions/", views.session_log, name="session-log"),
    path(
        "assignments/<int:assignment_id>/cancel/", views.assignment_cancel, name="assignment-cancel"
    ),
    path("feedback/<slug:kind>/<int:object_id>/", views.feedback_thread, name="feedback-thread"),
]
