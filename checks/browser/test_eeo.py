"""29 CFR 30 as a new sponsor meets it: the disability self-identification invitation at application (answered on a
phone without JavaScript), the utilization analysis flagging an under-utilized group and the 7% disability goal, the
annual review signed, outreach logged, and every other role kept out. The demo's program administrator is its EEO
officer (`bmet seed demo`)."""

from __future__ import annotations

import datetime
import re

from playwright.sync_api import Browser, Page, expect

from conftest import BASE_URL, OVERFLOW_JS, PHONE, ROLES, axe_check, sign_in
from inbox import mailed_link
from test_recruitment import apply, tag


def assert_fits_phone(page: Page, label: str) -> None:
    m = page.evaluate(OVERFLOW_JS)
    assert m["scrollWidth"] <= m["clientWidth"], f"horizontal overflow at 390px on {label}: {m}"


def test_eeo_invitation_on_applying_is_answered_on_a_phone_without_javascript(browser: Browser, new_context):
    email = f"robin.hale.{tag()}@example.org"
    apply(new_context().new_page(), name="Robin Hale", email=email)
    link = mailed_link(email, "self-identify")

    # The invitation is its own e-mail and page, apart from the application; the link is the applicant's own.
    # Checked for accessibility and fit at 390 px first (axe needs JavaScript), then answered with JavaScript off.
    checked = new_context(PHONE).new_page()
    checked.goto(link)
    expect(checked.get_by_role("heading", level=1)).to_have_text("Voluntary self-identification of disability")
    axe_check(checked, "self-identification form (390 px)")
    assert_fits_phone(checked, "self-identification form")
    checked.get_by_role("button", name="Send my answer").click()
    expect(checked.locator("#answer-error")).to_contain_text("Choose one of the three answers")
    axe_check(checked, "self-identification form with its error")

    context = browser.new_context(viewport=PHONE, base_url=BASE_URL, locale="en-US", java_script_enabled=False)
    context.set_default_timeout(15_000)
    try:
        phone = context.new_page()
        phone.goto(link)
        expect(phone.locator("main")).to_contain_text("Answering is voluntary")
        phone.get_by_role("button", name="Send my answer").click()
        expect(phone.locator("#answer-error")).to_contain_text("Choose one of the three answers")
        phone.get_by_label("I do not want to answer").check()
        phone.get_by_role("button", name="Send my answer").click()
        expect(phone.get_by_role("status")).to_contain_text("Your answer was recorded confidentially")
        expect(phone.get_by_label("I do not want to answer")).to_be_checked()
    finally:
        context.close()

    # Only the EEO officer sees the individual answer.
    admin = new_context().new_page()
    sign_in(admin, ROLES["program_admin"])
    admin.goto("/eeo/self-identification")
    expect(admin.locator("tbody tr", has_text="Robin Hale").first).to_contain_text("Did not answer")
    axe_check(admin, "/eeo/self-identification")


def test_eeo_utilization_flags_an_under_utilized_group_and_the_disability_goal(new_context):
    admin = new_context().new_page()
    sign_in(admin, ROLES["program_admin"])
    admin.get_by_role("navigation", name="Main").get_by_role("link", name="Equal opportunity").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Equal opportunity")
    expect(admin.get_by_role("heading", name="Your next step")).to_be_visible()
    # The demo's applicants were invited when they applied, and the daily job invited every apprentice once.
    for stage in ("Applicant (before any offer)", "Current apprentice (once)"):
        sent = admin.locator("tbody tr", has_text=stage).locator("td").first.inner_text()
        assert int(sent) > 0, f"no invitations at the stage {stage}"
    axe_check(admin, "/eeo")

    admin.goto("/eeo/utilization?occupation=0888HY&state=TX")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Utilization analysis")
    availability = {"Women": "150", "Hispanic or Latino": "40", "American Indian or Alaska Native": "0", "Asian": "0",
                    "Black or African American": "100", "Native Hawaiian or Other Pacific Islander": "0", "White": "0"}
    for label, value in availability.items():
        admin.get_by_label(f"{label} (%)", exact=True).fill(value)
    admin.get_by_label("Source", exact=True).fill("U.S. Census Bureau, ACS 5-year EEO tabulation, Texas")
    admin.get_by_label("Year of the figures").fill("2024")
    admin.get_by_role("button", name="Record the availability").click()
    # Out of range: a message by the field, the typed values kept, nothing stored.
    expect(admin.locator("#availability-women-error")).to_contain_text("from 0 to 100")
    expect(admin.get_by_label("Women (%)", exact=True)).to_have_value("150")
    expect(admin.get_by_label("Women (%)", exact=True)).to_have_attribute("aria-invalid", "true")
    axe_check(admin, "utilization with an availability error")

    admin.get_by_label("Women (%)", exact=True).fill("48.5")
    admin.get_by_role("button", name="Record the availability").click()
    expect(admin.get_by_role("status").first).to_contain_text("The availability figures were recorded")
    # The demo's Texas apprentices did not self-identify as Black or African American: a whole person short or more.
    summary = admin.locator(".error-summary")
    expect(summary).to_contain_text("Under-utilized:")
    expect(summary).to_contain_text("Black or African American")
    row = admin.locator("tbody tr", has_text="Black or African American")
    expect(row).to_contain_text("Under-utilized")
    expect(admin.get_by_role("img", name=re.compile(r"Availability and utilization, 0888HY in TX"))).to_be_visible()
    row.get_by_role("button", name=re.compile(r"Set the goal")).click()
    expect(admin.get_by_role("status").first).to_contain_text("The goal was recorded")
    expect(admin.locator("tbody tr", has_text="Black or African American").locator("td").last).to_have_text("100%")

    disability = admin.locator("section[aria-labelledby='disability-heading']")
    expect(disability.get_by_role("img", name=re.compile("against the 7% goal"))).to_be_visible()
    expect(disability.locator("tbody tr").first).to_contain_text("Below the goal")
    axe_check(admin, "utilization analysis")

    with admin.expect_download() as info:
        admin.get_by_role("link", name="Download the analysis as CSV").click()
    text = open(info.value.path(), encoding="utf-8-sig").read()
    assert re.search(r"^0888HY,TX,Black or African American,100\.0,0,\d+,0\.0,[\d.]+,yes,100\.0,", text, re.MULTILINE), text

    admin.set_viewport_size(PHONE)
    admin.reload()
    assert_fits_phone(admin, "utilization analysis")


def test_eeo_annual_review_is_signed_and_outreach_logged(new_context):
    admin = new_context().new_page()
    sign_in(admin, ROLES["program_admin"])
    admin.goto("/eeo/outreach")
    today = datetime.date.today().isoformat()
    admin.get_by_label("Day of the activity").fill(today)
    admin.get_by_label("Kind").select_option("workforce_agency")
    admin.get_by_label("Organization or place").fill("Workforce Solutions Gulf Coast")
    admin.get_by_label("What was done").fill("Information session on BMET apprenticeships for job seekers")
    admin.get_by_label("Women", exact=True).check()
    admin.get_by_label("People with disabilities").check()
    admin.get_by_role("button", name="Record the activity").click()
    expect(admin.get_by_role("status")).to_contain_text("The activity was recorded")
    expect(admin.locator("tbody tr", has_text="Workforce Solutions Gulf Coast").first).to_contain_text("Women, People with disabilities")
    axe_check(admin, "/eeo/outreach")

    admin.goto("/eeo/reviews")
    expect(admin.locator("main")).to_contain_text("Due")
    admin.get_by_role("button", name="Sign the review").click()
    expect(admin.get_by_role("alert")).to_contain_text("The review was not signed")
    expect(admin.locator("#findings-error")).to_be_visible()
    axe_check(admin, "annual review with errors")

    for box in admin.locator("input[type=checkbox][name$='[done]']").all():
        box.check()
    admin.get_by_label("Findings").fill("Selection procedures were applied alike; outreach reached two workforce boards.")
    admin.get_by_label("The review is complete; I sign it.").check()
    admin.get_by_role("button", name="Sign the review").click()
    expect(admin.get_by_role("status").first).to_contain_text("The review was signed and recorded")
    expect(admin.locator("main")).to_contain_text("Up to date")
    admin.locator("tbody tr").first.get_by_role("link").click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Annual review")
    expect(admin.locator("main")).to_contain_text("Signed by Dana Whitfield")
    axe_check(admin, "a signed annual review")


def test_eeo_pages_are_refused_to_every_other_role(new_context):
    for role in ("employer_admin", "mentor", "apprentice"):
        page = new_context().new_page()
        sign_in(page, ROLES[role])
        assert not any(href == "/eeo" for href in page.locator("nav[aria-label='Main'] a").evaluate_all("l => l.map(a => a.getAttribute('href'))"))
        for path in ("/eeo", "/eeo/self-identification", "/eeo/utilization", "/eeo/reviews"):
            response = page.goto(path)
            assert response is not None and response.status == 403, f"{role} reached {path}: {response.status if response else None}"
