import pytest
from django.urls import reverse

from club.models import Notification
from club.services import notify
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_notify_stores_row_and_pushes_only_after_commit(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = notify(personas.member, title="Analysis ready", link="/runs/1/")
    assert Notification.objects.filter(pk=notification.pk, recipient=personas.member).exists()
    assert len(callbacks) == 1  # the push waits for the commit


def test_notify_refuses_offsite_links(personas):
    with pytest.raises(ValueError, match="site-relative"):
        notify(personas.member, title="x", link="javascript:alert(1)")
    assert not Notification.objects.exists()


def test_dashboard_shows_only_my_unread_notifications(client_for, personas):
    NotificationFactory(recipient=personas.member, title="For member")
    NotificationFactory(recipient=personas.clubmate, title="For clubmate")
    page = client_for(personas.member).get(reverse("dashboard")).content.decode()
    assert "For member" in page and "For clubmate" not in page
    assert 'data-count="1"' in page


def test_htmx_request_gets_the_tray_partial_and_varies_on_it(client_for, personas):
    NotificationFactory(recipient=personas.member, title="Hello")
    response = client_for(personas.member).get(reverse("notifications"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="notification-tray"' in body and "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_mark_read(client_for, personas):
    notification = NotificationFactory(recipient=personas.member)
    client_for(personas.member).post(reverse("notification-read", args=[notification.pk]))
    notification.refresh_from_db()
    assert notification.is_read


def test_cannot_mark_someone_elses_notification(client_for, personas):
    notification = NotificationFactory(recipient=personas.clubmate)
    response = client_for(personas.member).post(
        reverse("notification-read", args=[notification.pk])
    )
    assert response.status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_mark_all_read_touches_only_mine(client_for, personas):
    mine = NotificationFactory.create_batch(3, recipient=personas.member)
    theirs = NotificationFactory(recipient=personas.clubmate)
    client_for(personas.member).post(reverse("notifications-read-all"))
    assert (
        Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).count() == 0
    )
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_notification_text_is_escaped(client_for, personas):
    NotificationFactory(recipient=personas.member, title="<script>alert(1)</script>")
    page = client_for(personas.member).get(reverse("dashboard")).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_send_notification_command(personas, capsys):
    from django.core.management import call_command

    call_command("send_notification", "member", "Hello from the shell")
    assert Notification.objects.get(recipient=personas.member).title == "Hello from the shell"
