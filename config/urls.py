from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from analysis import room_views
from analysis import views as analysis_views
from analysis.api import JobViewSet, VideoAnalysisViewSet
from club.life import api as club_api
from club.life import feed_views, run_api, run_views, views
from coaching import api as coaching_api
from config.csp import with_data_images

router = DefaultRouter()
router.register("clubs", club_api.ClubViewSet, basename="api-club")
router.register("notifications", club_api.NotificationViewSet, basename="api-notification")
router.register("jobs", JobViewSet, basename="api-job")
router.register("runs", run_api.RunViewSet, basename="api-run")
router.register("analyses", VideoAnalysisViewSet, basename="api-analysis")
router.register("drills", coaching_api.DrillViewSet, basename="api-drill")
router.register("assignments", coaching_api.AssignmentViewSet, basename="api-assignment")
router.register("feedback", coaching_api.FeedbackViewSet, basename="api-feedback")
router.register("suggestions", coaching_api.SuggestionViewSet, basename="api-suggestion")
router.register("coach-links", coaching_api.CoachLinkViewSet, basename="api-coach-link")
router.register("tokens", club_api.TokenViewSet, basename="api-token-item")

account_urls = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("profile/", views.profile, name="profile"),
    path("tokens/", views.token_create, name="token-create"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
    path("export/", views.account_export, name="account-export"),
    path("delete/", views.account_delete, name="account-delete"),
]

club_urls = [
    path("new/", views.club_create, name="club-create"),
    path("join/", views.club_join, name="club-join"),
    path("<slug:slug>/", views.club_detail, name="club-detail"),
    path("<slug:slug>/leave/", views.club_leave, name="club-leave"),
    path("<slug:slug>/leaderboard/", views.club_leaderboard, name="club-leaderboard"),
    path("<slug:slug>/feed/", feed_views.club_feed, name="club-feed"),
    path("<slug:slug>/shout-out/", feed_views.club_shoutout, name="club-shoutout"),
    path("<slug:slug>/members/<int:user_id>/role/", views.club_set_role, name="club-set-role"),
    path("<slug:slug>/announce/", views.club_announce, name="club-announce"),
]

run_urls = [
    path("", run_views.run_list, name="run-list"),
    path("upload/", run_views.run_upload, name="run-upload"),
    path("new/", run_views.run_new, name="run-new"),
    path("<int:run_id>/", run_views.run_detail, name="run-detail"),
    path("<int:run_id>/settings/", run_views.run_settings, name="run-settings"),
    path("<int:run_id>/delete/", run_views.run_delete, name="run-delete"),
    path("<int:run_id>/original/", run_views.run_original, name="run-original"),
]

notification_urls = [
    path("", views.notifications, name="notifications"),
    path("<int:notification_id>/read/", views.notification_read, name="notification-read"),
    path("read-all/", views.notifications_read_all, name="notifications-read-all"),
]

api_urls = [
    path("me/", club_api.me, name="api-me"),
    path("token/", club_api.obtain_token, name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file, not inline (our CSP).
    path(
        "docs/",
        with_data_images(
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema", template_name="api/swagger_ui.html"
            )
        ),
        name="api-docs",
    ),
    path("", include(router.urls)),
]

urlpatterns = [
    path("", views.home, name="dashboard"),
    path("accounts/", include(account_urls)),
    path("clubs/", include(club_urls)),
    path("invite/<str:code>/", views.club_invite, name="club-invite"),
    path("runs/", include(run_urls)),
    path("athletes/<int:athlete_id>/runs/", run_views.athlete_runs, name="athlete-runs"),
    path("notifications/", include(notification_urls)),
    path("feed/<int:item_id>/kudos/", feed_views.feed_kudos, name="feed-kudos"),
    path("feed/<int:item_id>/comments/", feed_views.feed_comment, name="feed-comment"),
    path("jobs/<int:job_id>/", analysis_views.job_row, name="job-row"),
    path("form/", analysis_views.analysis_list, name="analysis-list"),
    path("form/upload/", analysis_views.analysis_upload, name="analysis-upload"),
    path("form/compare/", room_views.analysis_compare, name="analysis-compare"),
    path("form/<int:analysis_id>/", analysis_views.analysis_detail, name="analysis-detail"),
    path("form/<int:analysis_id>/clip/", analysis_views.analysis_clip, name="analysis-clip"),
    path(
        "form/<int:analysis_id>/keyframe/<slug:name>/",
        analysis_views.analysis_keyframe,
        name="analysis-keyframe",
    ),
    path("form/<int:analysis_id>/delete/", analysis_views.analysis_delete, name="analysis-delete"),
    path(
        "form/<int:analysis_id>/visibility/",
        analysis_views.analysis_visibility,
        name="analysis-visibility",
    ),
    path("", include("coaching.urls")),
    path("api/", include(api_urls)),
    path("admin/", admin.site.urls),
    # For clients that ask before (or without) reading a page's <link rel="icon">.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.ico"), permanent=True)),
]
