"""A related-instruction provider's staff on a phone: their students only, and a course completion that the
apprentice's progress then counts.

The demo data enrols Jordan Alvarez (Anatomy and Physiology, 24 hours attended) and Aaliyah Carter (Introduction to
Healthcare Technology Management) with Houston Community College, whose staff member is Renee Dubois.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from playwright.sync_api import Page, expect

from conftest import OVERFLOW_JS, PHONE, ROLES, axe_check, sign_in

PROVIDER_STAFF = "instructor@hccs.demo.bmet.example"
UUID = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"


def today() -> str:
    return datetime.now(timezone.utc).date().isoformat()


def sign_in_provider(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(PROVIDER_STAFF)
    page.get_by_label("Password", exact=True).fill("demo-password-2026")
    page.get_by_role("button", name="Sign in").click()
    # The dashboard of a provider's staff is their list of students.
    expect(page).to_have_url(re.compile(r"/provider$"))


def fits(page: Page, label: str) -> None:
    overflow = page.evaluate(OVERFLOW_JS)
    assert overflow["scrollWidth"] <= overflow["clientWidth"], f"{label} is wider than the phone: {overflow['wide']}"


def test_provider_records_a_completion_on_a_phone_that_progress_counts(new_context):
    page = new_context(PHONE).new_page()
    sign_in_provider(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Students of Houston Community College")
    students = page.get_by_role("table")
    expect(students).to_contain_text("Jordan Alvarez")
    expect(students).to_contain_text("Aaliyah Carter")
    expect(students).not_to_contain_text("Priya Natarajan")
    expect(page.get_by_role("heading", name="Your next step")).to_be_visible()
    # Only their own pages in the menu: no apprentices list, approvals or reports.
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name="Apprentices")).to_have_count(0)
    expect(menu.get_by_role("link", name="Reports")).to_have_count(0)
    axe_check(page, "provider dashboard (390 px)")
    fits(page, "provider dashboard")

    page.get_by_role("link", name="Aaliyah Carter", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/provider/students/{UUID}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Aaliyah Carter")
    expect(page.get_by_text("Buckeye")).to_have_count(0)
    axe_check(page, "provider student (390 px)")
    fits(page, "provider student")

    # A wrong figure comes back with the input and the message by the field.
    attendance = page.locator("form", has=page.get_by_role("button", name="Record hours attended"))
    attendance.get_by_label("Hours attended", exact=True).fill("many")
    attendance.get_by_label("Through").fill(today())
    attendance.get_by_role("button", name="Record hours attended").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    expect(page.locator("#attendance-hours-error")).to_contain_text("hours attended")
    expect(page.get_by_label("Hours attended", exact=True)).to_have_value("many")
    axe_check(page, "provider student with errors (390 px)")
    page.get_by_label("Hours attended", exact=True).fill("12")
    page.get_by_role("button", name="Record hours attended").click()
    expect(page.get_by_role("status")).to_have_text("Hours attended recorded.")

    completion = page.locator("form", has=page.get_by_role("button", name="Record the completion"))
    completion.get_by_label("Completed on").fill(today())
    completion.get_by_label("Contact hours", exact=True).fill("36")
    completion.get_by_label("Grade").fill("B+")
    completion.get_by_role("button", name="Record the completion").click()
    expect(page.get_by_role("status")).to_have_text("Completion recorded.")
    courses = page.get_by_role("table")
    expect(courses).to_contain_text("Completed")
    expect(page.locator(".history")).to_contain_text("36 contact hours, grade B+")
    expect(page.locator(".history")).to_contain_text("recorded by Renee Dubois")
    fits(page, "provider student after the completion")

    # The sponsor sees the 36 hours counted on Aaliyah's instruction tab, recorded under the college's name.
    sponsor = new_context(PHONE).new_page()
    sign_in(sponsor, ROLES["program_admin"])
    student_path = re.search(rf"/provider/students/({UUID})", page.url).group(1)
    sponsor.goto(f"/apprentices/{student_path}/instruction")
    expect(sponsor.get_by_text(re.compile(r"Completed so far: 36 hours"))).to_be_visible()
    expect(sponsor.locator(".history")).to_contain_text("Houston Community College")


def test_provider_staff_cannot_open_the_apprentice_record(new_context):
    page = new_context(PHONE).new_page()
    sign_in_provider(page)
    page.get_by_role("link", name="Jordan Alvarez", exact=True).click()
    student = re.search(rf"/provider/students/({UUID})", page.url).group(1)
    for path in (f"/apprentices/{student}", f"/apprentices/{student}/wages", "/apprentices", "/approvals", "/reports/outcomes", "/providers"):
        response = page.goto(path)
        assert response is not None and response.status == 403, f"{path}: {response and response.status}"


def test_sponsor_adds_a_provider_on_a_phone(new_context):
    page = new_context(PHONE).new_page()
    sign_in(page, ROLES["program_admin"])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Providers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Instruction providers")
    expect(page.get_by_role("table")).to_contain_text("Houston Community College")
    axe_check(page, "providers (390 px)")
    fits(page, "providers")
    page.get_by_role("link", name="Add a provider").click()
    page.get_by_role("button", name="Add the provider").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    axe_check(page, "new provider with errors (390 px)")
    page.get_by_label("Name").fill("Lone Star College Biomedical Program")
    page.get_by_label("Kind").select_option("training_provider")
    page.get_by_label("Contact person").fill("Jamie Ortiz")
    page.get_by_label("Contact e-mail").fill("jamie.ortiz@lonestar.demo.bmet.example")
    page.get_by_role("button", name="Add the provider").click()
    expect(page.get_by_role("status")).to_have_text("Provider added.")
    axe_check(page, "provider (390 px)")
    fits(page, "provider")
