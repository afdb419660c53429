"""E-mail notices in a real browser: the settings on the Account page without JavaScript, axe, phone width;
the scheduler inside `bmet serve` mailing a notice found in the demo records and showing its runs to the sponsor.

The demo data rejects Jordan Alvarez's Friday hours with a comment, so the `notices.immediate` job of the running
server mails him a "Rejected hours" notice within seconds of starting.
"""

from __future__ import annotations

import re
import time

from playwright.sync_api import Browser, expect

from conftest import BASE_URL, DESKTOP, OVERFLOW_JS, PHONE, ROLES, axe_check, sign_in
from inbox import MAIL_DIR


def new_page(browser: Browser, viewport: dict | None = None, javascript: bool = True):
    context = browser.new_context(viewport=viewport or DESKTOP, base_url=BASE_URL, locale="en-US", java_script_enabled=javascript)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def checked_with_axe(browser: Browser, email: str, label: str, viewport: dict | None = None) -> dict:
    """axe-core needs JavaScript, so the page is checked again in a context that has it; returns the overflow check."""
    context, page = new_page(browser, viewport)
    try:
        sign_in(page, email)
        page.goto("/account#notifications")
        expect(page.get_by_role("heading", name="E-mail notices")).to_be_visible()
        axe_check(page, label)
        return page.evaluate(OVERFLOW_JS)
    finally:
        context.close()


def mails_to(recipient: str) -> list[str]:
    if not MAIL_DIR.is_dir():
        return []
    found = []
    for file in sorted(MAIL_DIR.iterdir()):
        text = file.read_text(encoding="utf-8")
        headers = text.split("\n\n", 1)[0]
        if re.search(r"^To: " + re.escape(recipient) + r"$", headers, re.MULTILINE | re.IGNORECASE):
            found.append(text)
    return found


def test_mentor_changes_a_notice_setting_without_javascript(browser: Browser):
    context, page = new_page(browser, javascript=False)
    try:
        sign_in(page, ROLES["mentor"])
        page.goto("/account")
        section = page.locator("form[action='/account/notifications']")
        pending = section.get_by_role("group", name=re.compile("Hours waiting for your approval"))
        expect(pending.get_by_role("radio", name="In the daily summary")).to_be_checked()

        pending.get_by_role("radio", name="Off").check()
        section.get_by_role("group", name=re.compile("Assessment requests")).get_by_role("radio", name="Right away").check()
        section.get_by_role("button", name="Save notice settings").click()

        expect(page).to_have_url(re.compile(r"/account\?saved=notifications#notifications$"))
        expect(page.get_by_role("status").filter(has_text="Your notice settings are saved.")).to_be_visible()
        pending = page.get_by_role("group", name=re.compile("Hours waiting for your approval"))
        expect(pending.get_by_role("radio", name="Off")).to_be_checked()
        expect(page.get_by_role("group", name=re.compile("Assessment requests")).get_by_role("radio", name="Right away")).to_be_checked()
        checked_with_axe(browser, ROLES["mentor"], "account page with notice settings (mentor)")

        # Put the default back, so other runs start from it.
        pending.get_by_role("radio", name="In the daily summary").check()
        page.get_by_role("button", name="Save notice settings").click()
        expect(page.get_by_role("group", name=re.compile("Hours waiting for your approval")).get_by_role("radio", name="In the daily summary")).to_be_checked()
    finally:
        context.close()


def test_required_notices_cannot_be_turned_off_and_fit_a_phone(browser: Browser):
    context, page = new_page(browser, PHONE, javascript=False)
    try:
        sign_in(page, ROLES["employer_admin"])
        page.goto("/account")
        raise_due = page.get_by_role("group", name=re.compile("Wage raise due"))
        expect(raise_due.get_by_role("radio")).to_have_count(2)  # right away or daily summary: no "Off"
        expect(page.get_by_role("group", name=re.compile("Probation ending")).get_by_role("radio")).to_have_count(3)
    finally:
        context.close()
    overflow = checked_with_axe(browser, ROLES["employer_admin"], "account page on a phone (employer admin)", PHONE)
    assert overflow["scrollWidth"] <= overflow["clientWidth"] + 1, f"account page overflows a phone: {overflow['wide']}"


def test_the_server_mails_a_notice_found_in_the_records_and_shows_the_job_runs(browser: Browser):
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline and not any("Subject: Rejected hours" in m for m in mails_to(ROLES["apprentice"])):
        time.sleep(0.5)
    mails = [m for m in mails_to(ROLES["apprentice"]) if "Subject: Rejected hours" in m]
    assert len(mails) == 1, f"expected one 'Rejected hours' notice for the demo apprentice in {MAIL_DIR}"
    assert "log only the hours you worked" in mails[0]
    assert re.search(r"https?://[^\s]+/hours/[0-9A-Fa-f-]{36}", mails[0])

    context, page = new_page(browser)
    try:
        sign_in(page, ROLES["program_admin"])
        page.goto("/outbox")
        expect(page.get_by_role("heading", name="Scheduled jobs")).to_be_visible()
        runs = page.get_by_role("table", name="Latest job runs, newest first")
        expect(runs.get_by_role("row").filter(has_text="notices.immediate").first).to_contain_text("finished")
        axe_check(page, "outbox page with job runs")
    finally:
        context.close()
