"""Program outcomes and exports in a real browser: charts with their tables, axe, phone width, CSV downloads."""

from __future__ import annotations

import csv
import io

from playwright.sync_api import Page, expect

from conftest import DESKTOP, OVERFLOW_JS, PHONE, ROLES, axe_check, sign_in


def test_outcomes_page_shows_accessible_charts_with_tables(page: Page):
    sign_in(page, ROLES["program_admin"])
    response = page.goto("/reports/outcomes")
    assert response is not None and response.ok
    expect(page.get_by_role("heading", level=1, name="Program outcomes")).to_be_visible()
    charts = page.locator("svg.chart[role='img']")
    assert charts.count() >= 2, "expected at least the quarter and employer charts"
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.locator("title").count() >= 1 and chart.locator("desc").count() == 1
        ids = (chart.get_attribute("aria-labelledby") or "").split()
        assert len(ids) == 2 and ids[0].endswith("-title") and ids[1].endswith("-desc"), ids
        assert chart.locator(f"title#{ids[0]}").count() == 1 and chart.locator(f"desc#{ids[1]}").count() == 1
    # Every chart has a table of the same figures beside it.
    for section in page.locator("section.report-section").all():
        if section.locator("svg.chart").count():
            expect(section.locator("table")).to_have_count(1)
    expect(page.get_by_role("img", name="Registrations, completions and cancellations by quarter")).to_be_visible()
    axe_check(page, "outcomes (program admin)")


def test_outcomes_reversed_range_is_refused_by_the_field(page: Page):
    sign_in(page, ROLES["program_admin"])
    page.goto("/reports/outcomes")
    page.get_by_label("From", exact=True).fill("2026-05-01")
    page.get_by_label("To", exact=True).fill("2026-04-01")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#to-error")).to_contain_text("ends before it starts")
    expect(page.get_by_label("To", exact=True)).to_have_attribute("aria-invalid", "true")
    axe_check(page, "outcomes with a reversed range")


def test_outcomes_csv_download_opens_as_utf8_csv(page: Page):
    sign_in(page, ROLES["program_admin"])
    page.goto("/reports/outcomes")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download “Summary” as CSV").click()
    download = info.value
    assert download.suggested_filename.startswith("outcomes-summary-") and download.suggested_filename.endswith(".csv")
    raw = open(download.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 byte-order mark"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Measure", "Value"]
    figures = {row[0]: row[1] for row in rows[1:]}
    shown = page.locator(".figure", has_text="Active apprentices").locator(".figure-value").inner_text()
    assert figures["Active apprentices (probation or active, now)"] == shown


def test_outcomes_fit_a_phone(new_context):
    page = new_context(PHONE).new_page()
    sign_in(page, ROLES["employer_admin"])
    response = page.goto("/reports/outcomes")
    assert response is not None and response.ok
    m = page.evaluate(OVERFLOW_JS)
    assert m["scrollWidth"] <= m["clientWidth"] + 1, f"too wide at 390px: {m['wide']}"
    # The employer admin sees their own organization only, with no employer filter.
    expect(page.get_by_label("Employer", exact=True)).to_have_count(0)
    axe_check(page, "outcomes (employer admin, phone)")


def test_rapids_validation_lists_the_incomplete_apprentice_with_a_fix_link(new_context):
    page = new_context(DESKTOP).new_page()
    sign_in(page, ROLES["program_admin"])
    page.goto("/reports/rapids")
    report = page.locator("section", has=page.get_by_role("heading", name="Validation report"))
    expect(report).to_contain_text("Priya Natarajan")
    fix = report.get_by_role("link", name="Fix ZIP code for Priya Natarajan")
    expect(fix).to_be_visible()
    axe_check(page, "RAPIDS export")
    fix.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Registration data")
    expect(page.get_by_label("ZIP code")).to_have_value("")
    axe_check(page, "registration data correction")


def test_mentor_cannot_open_reports(page: Page):
    sign_in(page, ROLES["mentor"])
    response = page.goto("/reports/outcomes")
    assert response is not None and response.status == 403
