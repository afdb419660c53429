"""The sponsor's CSV import on a phone without JavaScript: a template, a dry run with a problem, the fixed file, the
import, and its undo; then the same pages through axe (which needs JavaScript)."""

from __future__ import annotations

import csv
import io
import re
import uuid

import pytest
from playwright.sync_api import Browser, expect

from conftest import BASE_URL, OVERFLOW_JS, PHONE, ROLES, axe_check, sign_in


def employers_csv(suffix: str, zip_code: str) -> bytes:
    rows = [["employer_ref", "name", "address_line1", "address_line2", "city", "state", "zip", "phone"],
            [f"EMP-{suffix}", f"Lakeshore Regional Hospital {suffix}", "2500 Lakeshore Dr", "Clinical Engineering, Bldg C",
             "Cleveland", "OH", zip_code, "(216) 555-0142"]]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def assert_fits(page, label: str) -> None:
    overflow = page.evaluate(OVERFLOW_JS)
    assert overflow["scrollWidth"] <= overflow["clientWidth"] + 1, f"{label} is wider than the phone: {overflow['wide']}"


@pytest.mark.mutates
def test_import_sponsor_path_on_a_phone_without_javascript(browser: Browser):
    context = browser.new_context(viewport=PHONE, base_url=BASE_URL, locale="en-US", java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, ROLES["program_admin"])
        page.goto("/imports")
        expect(page.get_by_role("heading", level=1, name="Import from CSV")).to_be_visible()
        assert_fits(page, "the import page")

        page.locator("summary").filter(has_text=re.compile(r"^Employers$")).click()  # opens the <details>
        with page.expect_download() as info:
            page.get_by_role("link", name="Download the employers template (CSV)").click()
        raw = open(info.value.path(), "rb").read()
        header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert header[:3] == ["employer_ref", "name", "address_line1"]

        suffix = uuid.uuid4().hex[:8]
        page.get_by_label("What the file holds").select_option("employers")
        page.get_by_label("CSV file").set_input_files(files=[{"name": "employers.csv", "mimeType": "text/csv", "buffer": employers_csv(suffix, "9999")}])
        page.get_by_role("button", name="Check the file").click()
        expect(page.get_by_role("heading", level=1, name="Problems in the file")).to_be_visible()
        problem = page.locator("tbody tr").filter(has=page.locator("code", has_text="zip"))
        expect(problem).to_have_count(1)
        expect(problem.locator("td").first).to_have_text("2")
        assert_fits(page, "the problem list")

        page.get_by_role("link", name="Back to imports").click()
        page.get_by_label("What the file holds").select_option("employers")
        page.get_by_label("CSV file").set_input_files(files=[{"name": "employers.csv", "mimeType": "text/csv", "buffer": employers_csv(suffix, "44114")}])
        page.get_by_role("button", name="Check the file").click()
        expect(page.get_by_role("heading", level=1, name="Ready to import")).to_be_visible()
        page.get_by_role("button", name="Import this row").click()
        expect(page.get_by_role("status")).to_contain_text("Imported")
        row = page.locator("tbody tr").filter(has_text="employers.csv").first
        expect(row).to_contain_text("Dana Whitfield")
        assert_fits(page, "past imports")

        page.goto("/employers")
        expect(page.get_by_role("link", name=f"Lakeshore Regional Hospital {suffix}")).to_be_visible()

        page.goto("/imports")
        page.locator("tbody tr").filter(has_text="employers.csv").first.get_by_role("button", name="Undo this import").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Undo the import of employers.csv?")
        assert_fits(page, "the undo confirmation")
        page.get_by_role("button", name="Yes, undo this import").click()
        expect(page.get_by_role("status")).to_contain_text("undone")
        page.goto("/employers")
        expect(page.get_by_role("link", name=f"Lakeshore Regional Hospital {suffix}")).to_have_count(0)
    finally:
        context.close()


def test_import_pages_pass_axe_on_a_phone(new_context):
    """axe needs JavaScript: the same pages (the list, a problem list, a file ready to import), checked with it on."""
    page = new_context(PHONE).new_page()
    sign_in(page, ROLES["program_admin"])
    page.goto("/imports")
    axe_check(page, "imports (390 px)")
    suffix = uuid.uuid4().hex[:8]
    for zip_code, heading, label in (("9999", "Problems in the file", "import problems (390 px)"), ("44114", "Ready to import", "import ready (390 px)")):
        page.goto("/imports")
        page.get_by_label("What the file holds").select_option("employers")
        page.get_by_label("CSV file").set_input_files(files=[{"name": "employers.csv", "mimeType": "text/csv", "buffer": employers_csv(suffix, zip_code)}])
        page.get_by_role("button", name="Check the file").click()
        expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
        assert_fits(page, label)
        axe_check(page, label)


def test_import_page_is_forbidden_to_employer_staff(page):
    sign_in(page, ROLES["employer_admin"])
    response = page.goto("/imports")
    assert response is not None and response.status == 403
