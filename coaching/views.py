"""Coaching pages: drill catalogue, my drills, coach inbox, assigning, feedback threads.
Views do HTTP only; verbs live on the models and in coaching.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from club.models import ClubActionError, User
from club.redirects import safe_next
from coaching import inbox, services
from coaching.access import (
    get_assignment_for_user,
    get_coach_link,
    get_drill_for_user,
    get_link_invitation,
    get_own_drill,
    get_suggestion_for_coach,
    get_thread_target,
)
from coaching.forms import AssignForm, CoachInviteForm, CommentForm, DrillForm, SessionForm
from coaching.models import CATEGORIES, Comment, Drill, is_coach


@login_required
def drill_list(request: HttpRequest) -> HttpResponse:
    drills = Drill.objects.visible_to(request.user)
    category = request.GET.get("category", "")
    if category in dict(CATEGORIES):
        drills = drills.filter(category=category)
    context = {"drills": drills, "categories": CATEGORIES, "category": category}
    context["can_add"] = is_coach(request.user)
    return render(request, "coaching/drill_list.html", context)


@login_required
def drill_detail(request: HttpRequest, slug: str) -> HttpResponse:
    drill = get_drill_for_user(request.user, slug)
    context = {"drill": drill, "can_edit": drill.editable_by(request.user)}
    return render(request, "coaching/drill_detail.html", context)


@login_required
def drill_create(request: HttpRequest) -> HttpResponse:
    if not is_coach(request.user):
        raise Http404("Only coaches add drills.")
    return _drill_form(request, DrillForm(request.POST or None))


@login_required
def drill_edit(request: HttpRequest, slug: str) -> HttpResponse:
    drill = get_own_drill(request.user, slug)
    return _drill_form(request, DrillForm(request.POST or None, instance=drill))


def _drill_form(request: HttpRequest, form: DrillForm) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        drill = form.save_for(request.user)
        messages.success(request, f"Saved {drill.name}.")
        return redirect(drill)
    return render(request, "coaching/drill_form.html", {"form": form})


@login_required
@vary_on_headers("HX-Request")
def todo(request: HttpRequest) -> HttpResponse:
    """The athlete's drills to do, their coaches and invitations; `?part=todo` is the list."""
    context = inbox.athlete_todo(request.user, today=timezone.localdate())
    if request.htmx and request.GET.get("part") == "todo":
        return render(request, "coaching/partials/todo.html", context)
    return render(request, "coaching/todo.html", context)


@login_required
@vary_on_headers("HX-Request")
def coach_inbox(request: HttpRequest) -> HttpResponse:
    context = inbox.coach_inbox(request.user, today=timezone.localdate())
    if request.htmx and request.GET.get("part") == "inbox":
        return render(request, "coaching/partials/inbox.html", context)
    context["invite_form"] = CoachInviteForm()
    return render(request, "coaching/inbox.html", context)


@login_required
def assign(request: HttpRequest) -> HttpResponse:
    suggestion = _suggestion_from(request)
    initial = _initial(request, suggestion)
    form = AssignForm(request.POST or None, coach=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            made = _assign_from_form(request.user, form, suggestion)
        except ClubActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Assigned to {len(made)} athlete(s).")
            return redirect(made[0] if len(made) == 1 else "coach-inbox")
    context = {"form": form, "suggestion": suggestion}
    return render(request, "coaching/assign.html", context)


def _suggestion_from(request: HttpRequest) -> object:
    suggestion_id = request.POST.get("suggestion") or request.GET.get("suggestion")
    if not (suggestion_id and str(suggestion_id).isdigit()):
        return None
    return get_suggestion_for_coach(request.user, int(suggestion_id))


def _initial(request: HttpRequest, suggestion: object) -> dict:
    """Prefill from a suggestion (its athlete and drills) or from an athlete's page."""
    if suggestion is not None:
        plan = services.default_plan(suggestion)
        return {
            "athlete": suggestion.athlete,
            "drills": plan.drills,
            "refilm_after_weeks": plan.refilm_after_weeks,
            "refilm_view": plan.refilm_view,
        }
    athlete = request.GET.get("athlete", "")
    return {"athlete": athlete} if athlete.isdigit() else {}


def _assign_from_form(coach: User, form: AssignForm, suggestion: object) -> list:
    club = form.cleaned_data["club"]
    if suggestion is not None and form.cleaned_data["athlete"] == suggestion.athlete:
        plan = form.plan(baseline=suggestion.analysis)
        return [services.approve_suggestion(coach=coach, suggestion=suggestion, plan=plan)]
    athletes = services.athletes_in_club(coach, club) if club else [form.cleaned_data["athlete"]]
    return services.assign(coach=coach, athletes=athletes, plan=form.plan(), club=club)


@login_required
@require_POST
def suggestion_approve(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    """One click: the suggested drills become a four-week plan for the athlete."""
    suggestion = get_suggestion_for_coach(request.user, suggestion_id)
    try:
        plan = services.default_plan(suggestion)
        made = services.approve_suggestion(coach=request.user, suggestion=suggestion, plan=plan)
    except ClubActionError as exc:
        messages.error(request, str(exc))
        return redirect("coach-inbox")
    messages.success(request, f"Assigned {made.title} to {suggestion.athlete.display_name}.")
    return redirect("coach-inbox")


@login_required
@require_POST
def suggestion_dismiss(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    suggestion = get_suggestion_for_coach(request.user, suggestion_id)
    try:
        services.dismiss_suggestion(coach=request.user, suggestion=suggestion)
    except ClubActionError as exc:
        messages.error(request, str(exc))
    return redirect("coach-inbox")


@login_required
def assignment_detail(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_assignment_for_user(request.user, assignment_id)
    context = inbox.assignment_context(assignment, viewer=request.user, today=timezone.localdate())
    context["is_athlete"] = assignment.athlete_id == request.user.pk
    context["session_form"] = SessionForm()
    return render(request, "coaching/assignment_detail.html", context)


@login_required
@require_POST
def session_log(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_assignment_for_user(request.user, assignment_id)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.log_session(athlete=request.user, assignment=assignment, **form.cleaned_data)
        except ClubActionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Session logged. Well done.")
    else:
        messages.error(request, _first_error(form))
    return redirect(safe_next(request, request.POST.get("next"), assignment.get_absolute_url()))


def _first_error(form: SessionForm) -> str:
    field, errors = next(iter(form.errors.items()))
    label = form.fields[field].label if field in form.fields else ""
    return f"{label or 'Session'}: {errors[0]}"


@login_required
@require_POST
def assignment_cancel(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_assignment_for_user(request.user, assignment_id)
    if assignment.coach_id != request.user.pk:
        raise Http404("No such assignment of yours.")
    services.cancel_assignment(assignment)
    messages.success(request, "Assignment cancelled.")
    return redirect(assignment)


@login_required
@vary_on_headers("HX-Request")
def feedback_thread(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    """The thread of one analysis or run; POST adds to it. Always answers with the thread.
    A comment pinned from the video room (`mark=1`) also gets its outcome beside the clip."""
    target = get_thread_target(request.user, kind, object_id)
    form = CommentForm(request.POST or None, target=target)
    made = None
    if request.method == "POST" and form.is_valid():
        try:
            made = services.comment(author=request.user, target=target, **form.cleaned_data)
        except ClubActionError as exc:
            form.add_error("body", str(exc))
        else:
            form = CommentForm(target=target)
    if not request.htmx and request.method == "POST" and not form.errors:
        return redirect(target.get_absolute_url() + "#feedback")
    context = {"comments": Comment.objects.on(target), "form": form, "kind": kind}
    context.update(target=target, **_mark_outcome(request, form, made))
    return render(request, "coaching/partials/feedback.html", context)


def _mark_outcome(request: HttpRequest, form: CommentForm, made: Comment | None) -> dict:
    """For a post from the video room: what it says beside the clip (saved, or why not); the
    thread's own form stays clean."""
    if request.method != "POST" or request.POST.get("mark") != "1":
        return {}
    errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    return {
        "mark_sent": True,
        "mark_made": made,
        "mark_error": " ".join(errors),
        "form": CommentForm(target=form.target) if errors else form,
    }


@login_required
@require_POST
def coach_invite(request: HttpRequest) -> HttpResponse:
    form = CoachInviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["username"][0])
        return redirect("coach-inbox")
    athlete = form.cleaned_data["username"]
    try:
        services.invite_athlete(coach=request.user, athlete=athlete)
    except ClubActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Invitation sent to {athlete.display_name}.")
    return redirect("coach-inbox")


@login_required
@require_POST
def link_respond(request: HttpRequest, link_id: int) -> HttpResponse:
    link = get_link_invitation(request.user, link_id)
    accept = request.POST.get("answer") == "accept"
    try:
        services.answer_invitation(link=link, accept=accept)
    except ClubActionError as exc:
        messages.error(request, str(exc))
    else:
        verb = "accepted" if accept else "declined"
        messages.success(request, f"You {verb} {link.coach.display_name}'s invitation.")
    return redirect("todo")


@login_required
@require_POST
def link_end(request: HttpRequest, link_id: int) -> HttpResponse:
    link = get_coach_link(request.user, link_id)
    link.end()
    messages.success(request, "The coaching link has ended; nothing more is shared through it.")
    return redirect("todo" if link.athlete_id == request.user.pk else "coach-inbox")
