"""Programs signed in before named tokens keep working: the migration turns DRF's single
token into a named token (digest only) and fills in the look-alike skeletons."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from rest_framework.test import APIClient

from club.models import ApiToken, User

BEFORE = [("club", "0005_feed"), ("authtoken", "0004_alter_tokenproxy_options")]
AFTER = [("club", "0006_accounts_tokens_invites")]
KEY = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.django_db(transaction=True)
def test_a_drf_token_becomes_a_named_token_and_still_signs_in():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("club", "User").objects.create(username="legacy", password="!")
    old.get_model("authtoken", "Token").objects.create(key=KEY, user_id=user.pk)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    moved = ApiToken.objects.get(user_id=user.pk)
    assert moved.prefix == KEY[:6] and moved.digest != KEY
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM authtoken_token")
        assert cursor.fetchall() == []  # the plain key left the database
    assert User.objects.get(pk=user.pk).username_skeleton == "legacy"
    me = APIClient(HTTP_AUTHORIZATION=f"Token {KEY}").get("/api/me/")
    assert me.status_code == 200 and me.json()["username"] == "legacy"
