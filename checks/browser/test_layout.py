"""Phone-width layout, keyboard entry point, and screenshots for a person to look at."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from conftest import DESKTOP, OVERFLOW_JS, PHONE, ROLES, sign_in


def first_program_path(page: Page) -> str:
    page.goto("/programs")
    href = page.locator("main a[href^='/programs/']").first.get_attribute("href")
    assert href, "no program link on /programs"
    return href


def test_phone_pages_do_not_overflow_horizontally(new_context):
    page = new_context(PHONE).new_page()
    sign_in(page, ROLES["program_admin"])
    paths = ["/dashboard", "/programs", first_program_path(page), "/employers", "/people/invite"]
    problems = []
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.ok, f"GET {path} answered {response and response.status}"
        m = page.evaluate(OVERFLOW_JS)
        if m["scrollWidth"] > m["clientWidth"] + 1:
            problems.append(f"{path}: scrollWidth {m['scrollWidth']} > clientWidth {m['clientWidth']}; too wide: {m['wide']}")
    assert not problems, "horizontal overflow at 390px:\n" + "\n".join(problems)


@pytest.mark.parametrize("path,role", [("/", None), ("/login", None), ("/dashboard", "program_admin"),
                                       ("/programs", "apprentice")])
def test_first_tab_focuses_skip_link(page: Page, path: str, role: str | None):
    if role:
        sign_in(page, ROLES[role])
    page.goto(path)
    page.keyboard.press("Tab")
    focused = page.evaluate("() => ({text: document.activeElement.textContent.trim(), href: document.activeElement.getAttribute('href')})")
    assert focused == {"text": "Skip to content", "href": "#main"}, f"first Tab on {path} focused {focused}"
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # it must become visible when focused
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("main#main")).to_be_focused()


@pytest.mark.parametrize("role", ["program_admin", "employer_admin", "mentor", "apprentice"])
def test_screenshots(new_context, artifacts, role: str):
    """Full-page screenshots of each role's dashboard and a program page at desktop and phone size."""
    for size_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = new_context(viewport).new_page()
        sign_in(page, ROLES[role])
        page.screenshot(path=str(artifacts / f"{role}-dashboard-{size_name}.png"), full_page=True)
        if role == "program_admin":
            page.goto(first_program_path(page))
            expect(page.locator("main h1")).to_be_visible()
            page.screenshot(path=str(artifacts / f"program-detail-{size_name}.png"), full_page=True)


# Known problems, reported to the Swift/CSS owner; these turn into XPASS once fixed (then drop the marker).

def test_heading_has_room_below_the_header(page: Page):
    page.goto("/login")
    gap = page.evaluate("() => document.querySelector('main h1').getBoundingClientRect().top"
                        " - document.querySelector('.site-header').getBoundingClientRect().bottom")
    assert gap >= 16, f"the h1 starts {gap}px below the header"


def test_not_found_page_keeps_a_signed_in_menu(page: Page):
    sign_in(page, ROLES["mentor"])
    response = page.goto("/no-such-page")
    assert response is not None and response.status == 404
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
