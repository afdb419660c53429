"""Shared fixtures for the browser tests.

The server is started by scripts/browser-tests.sh, which passes its address in BMET_BROWSER_BASE_URL.
The browser is Debian's chromium (never one downloaded by Playwright), headless and without sandbox
because the tests run as root.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

BASE_URL = os.environ.get("BMET_BROWSER_BASE_URL", "http://127.0.0.1:18080").rstrip("/")
CHROMIUM = os.environ.get("BMET_BROWSER_CHROMIUM", "/usr/bin/chromium")
DEMO_PASSWORD = os.environ.get("BMET_DEMO_PASSWORD", "demo-password-2026")
ARTIFACTS = Path(__file__).parent / "artifacts"

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# The demo accounts created by `bmet seed demo`.
ROLES = {
    "program_admin": "admin@demo.bmet.example",
    "employer_admin": "hr@gulfcoast.demo.bmet.example",
    "mentor": "mentor@gulfcoast.demo.bmet.example",
    "apprentice": "apprentice@gulfcoast.demo.bmet.example",
    "other_employer_admin": "hr@buckeye.demo.bmet.example",
}

BLOCKING_IMPACTS = ("serious", "critical")


@pytest.fixture(scope="session")
def base_url() -> str:
    return BASE_URL


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser() -> Browser:
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser: Browser):
    """Factory for fresh browser contexts (own cookies), closed after the test."""
    contexts: list[BrowserContext] = []

    def make(viewport: dict | None = None) -> BrowserContext:
        context = browser.new_context(viewport=viewport or DESKTOP, base_url=BASE_URL, locale="en-US")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context) -> Page:
    return new_context().new_page()


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Signs in through the login form, as a person would, and checks that the dashboard opened."""
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def nav_links(page: Page) -> list[tuple[str, str]]:
    """(label, href) of every entry in the page's main navigation."""
    links = page.locator("nav[aria-label='Main'] a")
    return [(links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href")) for i in range(links.count())]


_axe = Axe()


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- [{v.get('impact')}] {v['id']}: {v['help']} ({v.get('helpUrl', '')})")
        for node in v.get("nodes", [])[:8]:
            target = ", ".join(str(t) for t in node.get("target", []))
            html = re.sub(r"\s+", " ", node.get("html", ""))[:200]
            lines.append(f"    at {target}: {html}")
            summary = node.get("failureSummary")
            if summary:
                lines.append("      " + re.sub(r"\s+", " ", summary)[:300])
        if len(v.get("nodes", [])) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more elements")
    return "\n".join(lines)


def axe_check(page: Page, label: str) -> list[dict]:
    """Runs axe-core on the page; fails on serious or critical violations, returns the milder ones."""
    results = _axe.run(page)
    violations = results.response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    milder = [v for v in violations if v.get("impact") not in BLOCKING_IMPACTS]
    if milder:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        with (ARTIFACTS / "axe-minor.txt").open("a", encoding="utf-8") as f:
            f.write(f"{label} ({page.url})\n{describe_violations(milder)}\n\n")
    assert not blocking, (
        f"axe found {len(blocking)} serious/critical accessibility violation(s) on {label} ({page.url}):\n"
        + describe_violations(blocking)
    )
    return milder


def pytest_sessionstart(session):
    # A fresh report of the non-blocking (moderate/minor) axe findings for each run.
    report = ARTIFACTS / "axe-minor.txt"
    if report.exists():
        report.unlink()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    # Printed before pytest's closing summary line, so that line stays the last one.
    log = os.environ.get("BMET_BROWSER_SERVER_LOG")
    if exitstatus != 0 and log and Path(log).exists():
        terminalreporter.section("last lines of the server log")
        for line in Path(log).read_text(errors="replace").splitlines()[-40:]:
            terminalreporter.write_line(line)


# What sticks out past the right edge of the viewport (tables scroll inside .table-scroll and do not count).
OVERFLOW_JS = """() => ({
  scrollWidth: document.documentElement.scrollWidth,
  clientWidth: document.documentElement.clientWidth,
  wide: [...document.querySelectorAll('body *')]
    .filter(e => { const r = e.getBoundingClientRect(); return r.right > document.documentElement.clientWidth + 1 && r.width > 0
                   && !e.closest('.table-scroll'); })
    .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).replace(/ +/g, '.') : '')
                      + ' right=' + Math.round(e.getBoundingClientRect().right))
})"""
