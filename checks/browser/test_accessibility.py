"""axe-core checks on every page a role can reach from its menu, the key forms, and the public pages.

A page fails on any violation with impact "serious" or "critical"; milder findings are collected in
artifacts/axe-minor.txt for a person to read.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from conftest import ROLES, axe_check, nav_links, sign_in

# Menu entries each role must have (the test visits whatever the menu shows, and checks these are there).
EXPECTED_MENU = {
    "program_admin": {"/dashboard", "/programs", "/employers", "/people", "/outbox", "/audit", "/account"},
    "employer_admin": {"/dashboard", "/employers/mine", "/people", "/programs", "/hours/months", "/account"},
    "mentor": {"/dashboard", "/approvals", "/people", "/programs", "/account"},
    "apprentice": {"/dashboard", "/apprentices/mine", "/programs", "/account"},
}

# Pages that are not in the menu but matter: forms and detail pages.
EXTRA_PAGES = {
    "program_admin": ["/employers/new", "/people/invite", "FIRST_PROGRAM", "FIRST_EMPLOYER", "FIRST_OUTBOX",
                      "/audit?action=hours.approved", "/audit?from=2026-05-02&to=2026-05-01", "FIRST_PERSON"],
    "employer_admin": ["/people/invite", "FIRST_PROGRAM", "FIRST_PERSON"],
    "mentor": ["FIRST_PROGRAM"],
    "apprentice": ["FIRST_PROGRAM"],
}

# Links that lead to the first detail page of a list, found on the list page.
DETAIL_LINKS = {
    "FIRST_PROGRAM": ("/programs", r"^/programs/[0-9A-Fa-f-]{36}$"),
    "FIRST_EMPLOYER": ("/employers", r"^/employers/[0-9A-Fa-f-]{36}$"),
    "FIRST_OUTBOX": ("/outbox", r"^/outbox/[0-9A-Fa-f-]{36}$"),
    "FIRST_PERSON": ("/people", r"^/people/[0-9A-Fa-f-]{36}$"),
}


def first_link_matching(page: Page, list_path: str, pattern: str) -> str:
    page.goto(list_path)
    hrefs = page.locator("main a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    for href in hrefs:
        if href and re.match(pattern, href):
            return href
    pytest.fail(f"no link matching {pattern} on {list_path}; links were {hrefs}")


@pytest.mark.parametrize("role", list(EXPECTED_MENU))
def test_signed_in_pages_have_no_serious_axe_violations(page: Page, role: str):
    sign_in(page, ROLES[role])
    menu = nav_links(page)
    hrefs = [href for _, href in menu]
    missing = EXPECTED_MENU[role] - set(hrefs)
    assert not missing, f"{role}'s menu lacks {sorted(missing)}; it shows {menu}"

    pages = list(dict.fromkeys(hrefs))
    for extra in EXTRA_PAGES[role]:
        if extra in DETAIL_LINKS:
            extra = first_link_matching(page, *DETAIL_LINKS[extra])
        pages.append(extra)

    failures = []
    for path in pages:
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{role}: GET {path} answered {response and response.status}"
        expect(page.locator("main h1")).to_have_count(1)
        try:
            axe_check(page, f"{role} {path}")
        except AssertionError as error:  # check every page, then report them all
            failures.append(str(error))
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("path,status", [
    ("/", 200),
    ("/login", 200),
    ("/forgot-password", 200),
    ("/no-such-page", 404),
    ("/invitations/not-a-real-token", 404),
])
def test_public_pages_have_no_serious_axe_violations(page: Page, path: str, status: int):
    response = page.goto(path)
    assert response is not None and response.status == status
    axe_check(page, f"public {path}")


def test_login_error_page_has_no_serious_axe_violations(page: Page):
    page.goto("/login")
    page.get_by_label("E-mail").fill("nobody@example.org")
    page.get_by_label("Password", exact=True).fill("wrong-password-123")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("E-mail")).to_have_value("nobody@example.org")
    axe_check(page, "login with an error")


def test_axe_itself_reports_a_known_violation(page: Page):
    """Guards against a silently broken axe run: a page with an unlabeled field and an image without alt text."""
    page.set_content('<!doctype html><html lang="en"><head><title>t</title></head><body><main>'
                     '<h1>Broken</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text">'
                     '</main></body></html>')
    with pytest.raises(AssertionError) as failure:
        axe_check(page, "deliberately broken page")
    assert "image-alt" in str(failure.value) and "label" in str(failure.value)


def test_every_public_page_linked_from_the_menu_and_home_page(page: Page):
    """Signed out: every same-site page linked from the menu or the home page's content (new public pages included)."""
    page.goto("/")
    paths = [href for _, href in nav_links(page)]
    paths += page.locator("main a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    paths = [p for p in dict.fromkeys(paths) if p and p.startswith("/") and not p.startswith("//")]
    failures = []
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, f"GET {path} (linked from /) answered {response and response.status}"
        try:
            axe_check(page, f"public {path}")
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n\n".join(failures)
