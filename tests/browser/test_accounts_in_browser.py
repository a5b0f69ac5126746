import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_create_club_sign_out_and_in_again(page, asgi_server):
    page.goto(asgi_server.url + "/")
    page.get_by_role("link", name="Create an account").click()
    page.fill("input[name=username]", "newrunner")
    page.fill("input[name=first_name]", "Nia")
    page.fill("input[name=password1]", "a-long-and-unusual-pass")
    page.fill("input[name=password2]", "a-long-and-unusual-pass")
    page.click("form button")
    expect(page.locator("h1")).to_contain_text("Hello, Nia")

    page.get_by_role("link", name="Create a club").click()
    page.fill("input[name=name]", "Canal Joggers")
    page.click("form.card button")
    expect(page.locator("h1")).to_have_text("Canal Joggers")
    expect(page.locator("#members")).to_contain_text("Owner")

    page.get_by_role("button", name="Sign out").click()
    page.fill("input[name=username]", "newrunner")
    page.fill("input[name=password]", "a-long-and-unusual-pass")
    page.click("form button")
    expect(page.locator(".card").first).to_contain_text("Canal Joggers")
