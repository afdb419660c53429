"""The program as its people live it (issue #13), tried in a real browser as new users would.

The demo data (`bmet seed demo`) ends the life cycle too: Morgan Ellis (Buckeye) has met every requirement and waits
for the employer's completion request; Riley Chen (Gulf Coast) completed and holds a certificate. Both had their
probation ended by the platform on its date. These tests change only Morgan's and Riley's records, plus a new
applicant of their own, so the other files' tests find the demo as they expect it.
"""

from __future__ import annotations

import re
import time
from datetime import date, timedelta

from playwright.sync_api import Browser, Page, expect

from conftest import BASE_URL, DESKTOP, OVERFLOW_JS, PHONE, ROLES, axe_check, sign_in
from test_recruitment import fill_application

GUARDIAN = re.compile("a parent or guardian agrees to my application")
MORGAN = "Morgan Ellis"
RILEY = "Riley Chen"


def no_js_context(browser: Browser, viewport: dict | None = None):
    context = browser.new_context(viewport=viewport or DESKTOP, base_url=BASE_URL, locale="en-US", java_script_enabled=False)
    context.set_default_timeout(15_000)
    return context


def open_apprentice(page: Page, name: str) -> str:
    """Opens an apprentice's record from the list; returns its path."""
    page.goto("/apprentices")
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    return re.search(r"/apprentices/[0-9A-Fa-f-]{36}", page.url).group(0)


def fits(page: Page, label: str) -> None:
    overflow = page.evaluate(OVERFLOW_JS)
    assert overflow["scrollWidth"] <= overflow["clientWidth"] + 1, f"{label} is wider than the phone: {overflow}"


# MARK: 1. Youth pathway


def test_a_sixteen_year_old_still_in_school_applies_on_a_phone_without_javascript(browser: Browser, new_context):
    today = date.today()
    birth = date(today.year - 16, today.month, 1) - timedelta(days=31)
    expected = today + timedelta(days=150)
    email = f"student.{int(time.time() * 1000)}@example.org"
    context = no_js_context(browser, PHONE)
    try:
        page = context.new_page()
        page.goto("/apply")
        expect(page.locator("#expectedDiplomaDate-hint")).to_contain_text("You can apply from age 16 while still in school")
        fill_application(page, name="Dakota Reyes", email=email, birth=birth.isoformat(),
                         statement="I build robots at school and want to fix hospital equipment.")
        page.get_by_label("Highest education completed").select_option(label="No high-school diploma or GED yet")
        page.get_by_label(GUARDIAN).check()
        page.get_by_role("button", name="Send my application").click()
        # Without the expected date: a message by the field, the answers kept.
        expect(page.locator("#expectedDiplomaDate-error")).to_contain_text("Still in school?")
        expect(page.get_by_label("Full name")).to_have_value("Dakota Reyes")
        fits(page, "the interest form with an error")
        page.get_by_label(re.compile("When you expect your diploma")).fill(expected.isoformat())
        page.get_by_label(GUARDIAN).check()
        page.get_by_label("I agree that the program may contact me").check()
        page.get_by_role("button", name="Send my application").click()
        expect(page).to_have_url(re.compile(r"/apply/thanks$"))
    finally:
        context.close()

    # The sponsor sees the expected date and the work authorization answer.
    admin = new_context().new_page()
    sign_in(admin, ROLES["program_admin"])
    admin.goto("/applicants?status=new")
    admin.get_by_role("link", name="Dakota Reyes").first.click()
    expect(admin.locator("main")).to_contain_text(f"diploma or GED expected {expected.isoformat()}")
    expect(admin.locator("main")).to_contain_text("Eligible to work in the U.S.")
    axe_check(admin, "applicant with an expected diploma date")


# MARK: 3 and 10. Status changes by themselves; the end of the life cycle in the demo


def test_probation_ended_on_its_date_and_the_record_says_so(page: Page):
    sign_in(page, ROLES["program_admin"])
    riley = open_apprentice(page, RILEY)
    expect(page.locator("main")).to_contain_text("Probation ended on its date")
    # Priya is still on probation: the page shows the RAPIDS status beside it.
    open_apprentice(page, "Priya Natarajan")
    expect(page.locator("main .tag.status")).to_have_text("Probation")
    expect(page.locator("main")).to_contain_text("(RAPIDS: Active)")
    page.goto(riley + "/completion")
    expect(page.locator("main")).to_contain_text("Certificate of Completion")
    axe_check(page, "a completed record's completion page")


# MARK: 5. Dashboards that tell the truth


def test_the_apprentice_sees_approved_waiting_and_rejected_hours_apart(new_context):
    page = new_context(PHONE).new_page()
    sign_in(page, ROLES["apprentice"])
    states = page.get_by_role("list", name="Logged hours by state")
    expect(states).to_contain_text("approved")
    expect(states).to_contain_text("waiting for the mentor's approval")
    expect(states).to_contain_text("rejected")
    waiting = float(re.search(r"([\d,.]+) h\s*waiting", states.inner_text()).group(1).replace(",", ""))
    assert waiting > 0, "Jordan's last week waits for Linda in the demo"
    expect(states.get_by_role("link", name="fix and resubmit")).to_be_visible()
    fits(page, "the apprentice's dashboard")
    axe_check(page, "the apprentice's dashboard on a phone")


# MARK: 2. A mentor's approval queue


def test_the_queue_is_grouped_by_apprentice_and_week_and_nothing_is_ticked(page: Page):
    sign_in(page, ROLES["mentor"])
    page.goto("/approvals")
    expect(page.locator("main tbody input[type='checkbox']:checked")).to_have_count(0)
    group = page.locator("main section.queue-group").first
    expect(group.get_by_role("heading", level=2)).to_contain_text(re.compile(r"Jordan Alvarez — week of \d{4}-\d{2}-\d{2}"))
    expect(group.locator("thead")).to_contain_text("Work order")
    expect(group.locator("tbody")).to_contain_text("WO-")
    axe_check(page, "the grouped approval queue")

    # Filtered to one apprentice; "approve this week" asks first, the entries in date order.
    page.get_by_label("Apprentice", exact=True).select_option(label="Jordan Alvarez")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/approvals\?apprentice="))
    page.locator("main section.queue-group").first.get_by_role("button", name=re.compile("^Approve this week")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Approve \d+ entr(y|ies)\?$"))
    days = [re.match(r"\d{4}-\d{2}-\d{2}", text).group(0) for text in page.locator("main ol.confirm-list li").all_inner_texts()]
    assert days and days == sorted(days), f"the confirmation lists the week's entries by date: {days}"
    page.get_by_role("link", name="Back to the queue").click()
    expect(page.locator("main section.queue-group")).not_to_have_count(0)


def test_the_queue_reflows_on_a_phone(new_context):
    page = new_context(PHONE).new_page()
    sign_in(page, ROLES["mentor"])
    page.goto("/approvals")
    fits(page, "the approval queue")
    first_row = page.locator("main table.queue tbody tr").first
    expect(first_row).to_be_visible()
    box = first_row.bounding_box()
    assert box and box["width"] <= PHONE["width"], f"a queue row is wider than the phone: {box}"


# MARK: 9. Phones: the skills page is a screen of summaries


def test_skill_sets_are_folded_on_a_phone_except_the_current_one(browser: Browser):
    context = no_js_context(browser, PHONE)
    try:
        page = context.new_page()
        sign_in(page, ROLES["apprentice"])
        page.get_by_role("link", name="Your full record").click()
        page.get_by_role("navigation", name="Training record").get_by_role("link", name="Skills").click()
        details = page.locator("main details.skillset")
        assert details.count() == 10
        open_sets = page.locator("main details.skillset[open]").count()
        assert 1 <= open_sets <= 2, f"{open_sets} skill sets open on arrival"
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 12_000, f"the skills page is {height} px tall on a phone"
        # Opening another works without JavaScript.
        page.locator("main details.skillset:not([open]) summary").last.click()
        expect(page.locator("main details.skillset[open]")).to_have_count(open_sets + 1)
    finally:
        context.close()


# MARK: 7 and 10. Completion and revocation that reach everything


def test_completion_asks_twice_and_revocation_reaches_the_pdf_the_dashboard_and_the_outcomes(new_context):
    # Buckeye puts Morgan forward; the sponsor approves after a second step.
    employer = new_context().new_page()
    sign_in(employer, ROLES["other_employer_admin"])
    morgan = open_apprentice(employer, MORGAN)
    employer.goto(morgan + "/completion")
    expect(employer.locator("main")).to_contain_text("of the 4,000 minimum (400 credited for prior learning)")
    employer.get_by_role("button", name="Request completion").click()
    expect(employer.locator("main")).to_contain_text("Completion requested")
    sponsor = new_context().new_page()
    sign_in(sponsor, ROLES["program_admin"])
    sponsor.goto(morgan + "/completion")
    sponsor.get_by_role("button", name=re.compile("^Approve: complete")).click()
    expect(sponsor.get_by_role("heading", level=1)).to_have_text(f"Complete the apprenticeship of {MORGAN}?")
    expect(sponsor.locator("main")).to_contain_text("Completion is final")
    axe_check(sponsor, "the completion confirmation page")
    sponsor.get_by_role("button", name="Yes, complete the apprenticeship").click()
    expect(sponsor.locator("main")).to_contain_text("Certificate")

    # Riley's certificate is revoked after a confirmation.
    riley = open_apprentice(sponsor, RILEY)
    sponsor.goto(riley + "/completion")
    item = sponsor.locator("main ul.history li", has=sponsor.get_by_role("link", name="Certificate (PDF)"))
    certificate = re.search(r"BMET-\d{4}-[0-9A-Z-]+", item.inner_text()).group(0)
    item.get_by_label(f"Reason to revoke {certificate}").fill("Issued in error: an assessment was recorded for the wrong apprentice.")
    item.get_by_role("button", name="Revoke").click()
    expect(sponsor.get_by_role("heading", level=1)).to_contain_text(f"Revoke")
    expect(sponsor.locator("main")).to_contain_text("Revoking cannot be undone")
    axe_check(sponsor, "the revocation confirmation page")
    sponsor.get_by_role("button", name=f"Yes, revoke {certificate}").click()
    expect(sponsor.locator("main")).to_contain_text("Revoked")
    expect(sponsor.locator("main")).not_to_contain_text("Certificate (PDF)")
    response = sponsor.request.get(f"{BASE_URL}{riley}/certificate.pdf")
    assert response.status == 410, response.status
    assert "Issued in error" in response.text()
    sponsor.goto(f"/verify/{certificate}")
    expect(sponsor.locator("main")).to_contain_text(f"Revoked: {certificate}")
    sponsor.goto("/reports/outcomes")
    expect(sponsor.locator("main")).to_contain_text("1 more left out: their certificate was revoked")
