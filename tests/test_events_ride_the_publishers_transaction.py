"""Upward effects travel as events: the receivers above run inside the publisher's transaction,
so what they write is kept or undone with the publisher's own rows."""

import pytest
from django.db import transaction

from club.events import RunAdded, publish, subscribe
from club.models import FeedItem
from tests.factories import RunFactory

pytestmark = pytest.mark.django_db


class Undo(Exception):
    pass


def test_a_run_added_posts_its_feed_item(personas):
    run = RunFactory(owner=personas.member)
    publish(RunAdded(run))
    assert FeedItem.objects.filter(run=run, kind=FeedItem.Kind.RUN).count() == 1


def test_a_publisher_rolled_back_takes_the_receivers_rows_with_it(personas):
    with pytest.raises(Undo), transaction.atomic():
        run = RunFactory(owner=personas.member)
        publish(RunAdded(run))
        raise Undo
    assert not FeedItem.objects.exists()


def test_a_receiver_subscribed_twice_runs_once(personas):
    seen = []

    class Pinged:
        pass

    def receiver(event: Pinged) -> None:
        seen.append(event)

    subscribe(Pinged)(receiver)
    subscribe(Pinged)(receiver)
    publish(Pinged())
    assert len(seen) == 1
