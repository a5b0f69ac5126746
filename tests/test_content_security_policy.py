"""A Content-Security-Policy on every response, static files included, and pages written so
that they work under it: no inline script, no inline handler, no inline style."""

import re
from pathlib import Path

import pytest
from asgiref.testing import ApplicationCommunicator
from django.urls import reverse

from config.asgi import application
from config.csp import policy

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def _directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def test_the_policy_allows_scripts_and_styles_from_our_origin_only():
    rules = _directives(policy("runclub.example.org"))
    assert rules["script-src"] == rules["style-src"] == rules["default-src"] == "'self'"
    assert rules["object-src"] == "'none'" and rules["frame-ancestors"] == "'none'"
    assert rules["base-uri"] == rules["form-action"] == "'self'"
    assert rules["connect-src"] == ("'self' ws://runclub.example.org wss://runclub.example.org")
    assert "unsafe" not in policy("runclub.example.org")


@pytest.mark.parametrize(
    "name", ["dashboard", "login", "signup", "profile", "run-list", "analysis-list"]
)
def test_every_page_carries_the_policy(name, personas, client_for):
    response = client_for(personas.member).get(reverse(name))
    assert response["Content-Security-Policy"] == policy("testserver")


def test_errors_and_the_admin_carry_it_too(client, personas, client_for):
    assert "script-src 'self'" in client.get("/no-such-page/")["Content-Security-Policy"]
    assert "script-src 'self'" in client.get("/admin/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in client.get("/api/me/")["Content-Security-Policy"]


def _asgi_get(path: str) -> tuple[int, dict[bytes, bytes]]:
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"localhost")],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }
    communicator = ApplicationCommunicator(application, scope)

    async def exchange() -> dict:
        await communicator.send_input({"type": "http.request", "body": b""})
        return await communicator.receive_output(timeout=10)

    from asgiref.sync import async_to_sync

    start = async_to_sync(exchange)()
    return start["status"], dict(start["headers"])


def test_static_files_served_by_the_asgi_app_carry_the_policy(settings):
    """ASGIStaticFilesHandler runs no Django middleware: the ASGI wrapper must add it."""
    settings.SERVE_STATIC = True
    status, headers = _asgi_get("/static/js/confirm.js")
    assert status == 200
    assert headers[b"content-security-policy"] == policy().encode()


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler"),
    (re.compile(r"\sstyle\s*=", re.I), "an inline style attribute"),
    (re.compile(r"<style", re.I), "a <style> element"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
    (re.compile(r"\shx-on", re.I), "an hx-on handler (evaluated as script)"),
]


def test_no_template_relies_on_what_the_policy_forbids():
    found = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for pattern, what in INLINE
        if pattern.search(path.read_text())
    ]
    assert found == []


def test_the_api_docs_load_their_start_up_script_from_a_url(personas, client_for):
    response = client_for(personas.member).get(reverse("api-docs"))
    # Swagger UI's stylesheet draws its icons from data: URLs; nothing else is widened.
    assert response["Content-Security-Policy"] == policy("testserver", data_images=True)
    assert _directives(response["Content-Security-Policy"])["img-src"] == "'self' data:"
    page = response.content.decode()
    assert "<style" not in page and not re.search(r"<script(?![^>]*\bsrc=)", page)
    script = client_for(personas.member).get(reverse("api-docs") + "?script=")
    assert script.status_code == 200 and script["Content-Type"] == "application/javascript"
