from django.db.models import Count, Max, Q
from django.http import HttpRequest

from club.models import Notification


def unread_notifications(request: HttpRequest) -> dict:
    """The unread badge in the header of every page, and the newest notification the page
    includes, from which its live channel catches up after a reconnect."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    totals = Notification.objects.for_user(user).aggregate(
        unread=Count("pk", filter=Q(read_at__isnull=True)), newest=Max("pk")
    )
    return {"unread_count": totals["unread"], "notification_cursor": totals["newest"] or 0}
