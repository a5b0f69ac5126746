"""The club feed: read it, give kudos, comment, and (coaches) shout out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from club.access import get_club_for_user, get_feed_item_for_user
from club.forms import FeedCommentForm, ShoutOutForm
from club.life import feed
from club.models import ClubActionError, FeedItem
from club.redirects import safe_next

FEED_LENGTH = 30


@login_required
@vary_on_headers("HX-Request")
def club_feed(request: HttpRequest, slug: str) -> HttpResponse:
    club = get_club_for_user(request.user, slug)
    items = FeedItem.objects.for_club(club, request.user)[:FEED_LENGTH]
    return render(request, "club/partials/feed.html", {"club": club, "feed_items": items})


@login_required
@require_POST
def feed_kudos(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_feed_item_for_user(request.user, item_id)
    feed.toggle_kudos(user=request.user, item=item)
    return _item(request, item)


@login_required
@require_POST
def feed_comment(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_feed_item_for_user(request.user, item_id)
    form = FeedCommentForm(request.POST)
    try:
        if not form.is_valid():
            raise ClubActionError(f"Comment: {form.errors['body'][0]}")
        feed.comment(author=request.user, item=item, body=form.cleaned_data["body"])
    except ClubActionError as exc:
        return _item(request, item, error=str(exc))
    return _item(request, item)


def _item(request: HttpRequest, item: FeedItem, error: str = "") -> HttpResponse:
    if not request.htmx:
        return redirect(safe_next(request, request.META.get("HTTP_REFERER"), "dashboard"))
    item = FeedItem.objects.filter(pk=item.pk).prefetch_related("kudos", "comments__author").get()
    return render(request, "club/partials/feed_item.html", {"item": item, "error": error})


@login_required
@require_POST
def club_shoutout(request: HttpRequest, slug: str) -> HttpResponse:
    club = get_club_for_user(request.user, slug)
    form = ShoutOutForm(request.POST)
    try:
        if not form.is_valid():
            raise ClubActionError(f"Shout-out: {form.errors['text'][0]}")
        feed.shout_out(coach=request.user, club=club, text=form.cleaned_data["text"])
    except ClubActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Shout-out posted.")
    return redirect(club)
