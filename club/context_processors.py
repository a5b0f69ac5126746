from django.http import HttpRequest

from club.models import Notification


def unread_notifications(request: HttpRequest) -> dict:
    """The unread badge in the header of every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": Notification.objects.for_user(user).unread().count()}
