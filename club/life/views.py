"""Pages for people and clubs. Views do HTTP only; the verbs live on the models."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from analysis import job_runner
from club.access import (
    get_club_by_invite,
    get_club_for_user,
    get_notification_for_user,
    get_token_for_user,
)
from club.auth import SignInForm, throttled_for
from club.forms import (
    AnnouncementForm,
    ClubForm,
    DeleteAccountForm,
    JoinForm,
    ProfileForm,
    RoleForm,
    SignUpForm,
    TokenForm,
)
from club.life.account import delete_account, export_to_tempfile
from club.life.leaderboard import PERIODS_WEEKS, club_boards, parse_period
from club.models import ApiToken, Club, ClubActionError, FeedItem, Notification, User
from club.redirects import safe_next
from config.media import file_response


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "club/welcome.html")
    return dashboard(request)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("club").order_by("club__name")
    unread = Notification.objects.for_user(request.user).unread()[:20]
    context = {"memberships": memberships, "notifications": unread}
    return render(request, "club/dashboard.html", context)


class SignInView(LoginView):
    """Django's sign-in page; a throttled attempt answers 429 with the reason on the page."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form: SignInForm) -> HttpResponse:
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "throttled"):
            response.status_code = 429
            response["Retry-After"] = str(throttled_for(self.request))
        return response


def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user)
        messages.success(request, "Welcome to runclub. Create a club or join one with its code.")
        return redirect(safe_next(request, request.GET.get("next"), "dashboard"))
    return render(request, "registration/signup.html", {"form": form})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Profile saved.")
        return redirect("profile")
    return _profile_page(request, form=form)


def _profile_page(
    request: HttpRequest,
    *,
    form: ProfileForm | None = None,
    token_form: TokenForm | None = None,
    **extra: object,
) -> HttpResponse:
    context = {
        "form": form or ProfileForm(instance=request.user),
        "tokens": ApiToken.objects.for_user(request.user),
        "token_form": token_form or TokenForm(),
        **extra,
    }
    return render(request, "club/profile.html", context)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """A new API token; its key is shown on this one page and never again."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, token_form=form)
    token, key = ApiToken.issue(user=request.user, name=form.cleaned_data["name"])
    return _profile_page(request, new_token=token, new_key=key)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_token_for_user(request.user, token_id)
    token.delete()
    messages.success(request, f"Token “{token.name}” revoked: programs using it are signed out.")
    return redirect(reverse("profile") + "#tokens")


@login_required
def account_export(request: HttpRequest) -> HttpResponse:
    """One zip of everything the member owns."""
    name = f"runclub-{request.user.username}-{timezone.localdate():%Y-%m-%d}.zip"
    return file_response(
        request,
        export_to_tempfile(request.user),
        content_type="application/zip",
        filename=name,
        as_attachment=True,
    )


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        delete_account(request.user)
        logout(request)
        messages.success(request, "Your account and everything in it have been deleted.")
        return redirect("dashboard")
    return render(request, "club/account_delete.html", {"form": form})


@login_required
def club_create(request: HttpRequest) -> HttpResponse:
    form = ClubForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        club = Club.create_with_owner(owner=request.user, **form.cleaned_data)
        messages.success(request, f"{club.name} is ready. Share the invite link with your runners.")
        return redirect(club)
    return render(request, "club/club_form.html", {"form": form})


@login_required
def club_detail(request: HttpRequest, slug: str) -> HttpResponse:
    club = get_club_for_user(request.user, slug)
    context = {
        "club": club,
        "memberships": club.memberships.select_related("user").order_by("role", "user__username"),
        "my_role": club.role_of(request.user),
        "can_announce": club.may_address(request.user),
        "role_form": RoleForm(),
        "announcement_form": AnnouncementForm(),
        "boards": club_boards(club, weeks=parse_period(request.GET.get("period"))),
        "periods": PERIODS_WEEKS,
        "feed_items": FeedItem.objects.for_club(club, request.user)[:30],
    }
    return render(request, "club/club_detail.html", context)


@login_required
@vary_on_headers("HX-Request")
def club_leaderboard(request: HttpRequest, slug: str) -> HttpResponse:
    """The boards for one period: the full page, or the named partial `board` for htmx."""
    club = get_club_for_user(request.user, slug)
    context = {
        "club": club,
        "boards": club_boards(club, weeks=parse_period(request.GET.get("period"))),
        "periods": PERIODS_WEEKS,
    }
    if request.htmx and request.GET.get("part") == "board":
        return render(request, "club/partials/leaderboard.html", context)
    return render(request, "club/leaderboard.html", context)


@login_required
def club_join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or request.GET or None)
    if request.method == "POST" and form.is_valid():
        return redirect("club-invite", code=form.cleaned_data["code"])
    return render(request, "club/join.html", {"form": form})


@login_required
def club_invite(request: HttpRequest, code: str) -> HttpResponse:
    club = get_club_by_invite(code)
    if request.method == "POST":
        club.join(request.user)
        messages.success(request, f"You joined {club.name}.")
        return redirect(club)
    return render(
        request, "club/invite.html", {"club": club, "my_role": club.role_of(request.user)}
    )


@login_required
@require_POST
def club_leave(request: HttpRequest, slug: str) -> HttpResponse:
    club = get_club_for_user(request.user, slug)
    try:
        club.leave(request.user)
    except ClubActionError as exc:
        messages.error(request, str(exc))
        return redirect(club)
    messages.success(request, f"You left {club.name}.")
    return redirect("dashboard")


@login_required
@require_POST
def club_set_role(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    club = get_club_for_user(request.user, slug)
    form = RoleForm(request.POST)
    member = User.objects.filter(memberships__club=club, pk=user_id).first()
    try:
        if member is None or not form.is_valid():
            raise ClubActionError("Choose a member of this club and a role.")
        club.set_role(actor=request.user, member=member, role=form.cleaned_data["role"])
    except ClubActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{member} is now a {form.cleaned_data['role']}.")
    return redirect(club)


@login_required
@require_POST
def club_announce(request: HttpRequest, slug: str) -> HttpResponse:
    club = get_club_for_user(request.user, slug)
    form = AnnouncementForm(request.POST)
    if not club.may_address(request.user):
        messages.error(request, "Only the owner and coaches can send announcements.")
    elif not form.is_valid():
        messages.error(request, "An announcement needs a title of at most 120 characters.")
    else:
        with transaction.atomic():
            job_runner.enqueue(
                "club.announce",
                owner=request.user,
                payload={"club_id": club.pk, **form.cleaned_data},
            )
        messages.success(request, "Announcement on its way to every member.")
    return redirect(club)


@login_required
@vary_on_headers("HX-Request")
def notifications(request: HttpRequest) -> HttpResponse:
    """The full list, or just the tray when htmx asks (on every socket (re)connect)."""
    mine = Notification.objects.for_user(request.user)
    if request.htmx:
        context = {"notifications": mine.unread()[:20], "unread_count": mine.unread().count()}
        return render(request, "club/partials/notification_catchup.html", context)
    return render(request, "club/notifications.html", {"notifications": mine[:100]})


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = get_notification_for_user(request.user, notification_id)
    Notification.objects.filter(pk=notification.pk).mark_read()
    if request.htmx:
        return notifications(request)
    return redirect(notification.link or "notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    Notification.objects.for_user(request.user).mark_read()
    if request.htmx:
        return notifications(request)
    return redirect("notifications")
