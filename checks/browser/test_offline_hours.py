"""Hours logged without a connection (a BMET shop in a hospital basement), on a 390 px phone.

The week form keeps working offline: the service worker serves the copy of the form the apprentice opened, a week
submitted without a connection is kept on the device and shown as waiting, and it is sent once when the connection is
back. A lost answer is sent again with the same client key, and the server stores it once. A week the server refuses
comes back with its messages and goes back into its form to be fixed. The tests log in the week three weeks back (a day
each, which no other browser test logs in): inside the standards' 30 days, so the entries they leave waiting do not
change what the mentor's approval journey is asked to confirm.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from playwright.sync_api import BrowserContext, Page, Route, expect

from conftest import PHONE, ROLES, axe_check, sign_in
from test_training import jordan, monday, today  # noqa: F401  (jordan is a fixture)

PAGES_CACHE = "bmet-week-pages-v1"


def label(day: date) -> str:
    return day.strftime("%a, %b ") + str(day.day)


def unique(what: str) -> str:
    return f"{what} ({datetime.now(timezone.utc):%H%M%S%f})"


def open_week_online(context: BrowserContext, jordan: str, start: date, reload: bool = True) -> Page:
    """Signs Jordan in on a phone and opens the week form while online, until the service worker has kept its copy:
    on the first visit, which the worker did not serve, the page asks it to (reload=False); otherwise the form is opened
    again once the worker is active, and the worker keeps what it serves."""
    page = context.new_page()
    sign_in(page, ROLES["apprentice"])
    url = f"{jordan}/hours/week?start={start}"
    page.goto(url)
    # The worker installs on the first signed-in page; the form opened once it is active is served, and kept, by it.
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    if reload:
        page.reload()
        assert page.evaluate("() => navigator.serviceWorker.controller !== null"), "the service worker did not take the week form over"
    kept = page.evaluate(
        """async ([name, path]) => {
            const key = new URL(path, location.origin).href;
            for (let i = 0; i < 100; i++) {
                const cache = await caches.open(name);
                if (await cache.match(key, { ignoreVary: true })) return true;
                await new Promise(r => setTimeout(r, 100));
            }
            return false;
        }""",
        [PAGES_CACHE, url],
    )
    assert kept, "the service worker did not keep the week form"
    return page


def waiting_panel(page: Page):
    return page.locator("section.outbox")


WEEK = monday(today()) - timedelta(days=21)


def log_offline(context: BrowserContext, page: Page, day: date, hours: str, what: str) -> None:
    """Goes offline, opens the saved week form and submits one day of it: the week waits on the device."""
    context.set_offline(True)
    page.reload()
    page.get_by_label(f"Hours, {label(day)}", exact=True).fill(hours)
    page.get_by_label(f"What you did, {label(day)}", exact=True).fill(what)
    page.get_by_role("button", name="Submit the week for approval").click()
    expect(waiting_panel(page)).to_contain_text(f"Week of {WEEK}")


def rows_with(page: Page, jordan: str, day: date, text: str) -> int:
    page.goto(f"{jordan}/hours?month={day:%Y-%m}")
    return page.locator("main tbody tr", has_text=text).count()


def test_a_week_logged_offline_arrives_once(new_context, jordan: str):
    context = new_context(PHONE)
    start, day = WEEK, WEEK
    page = open_week_online(context, jordan, start, reload=False)
    what = unique("Infusion pump PM in the basement shop")

    context.set_offline(True)
    page.reload()
    expect(page.locator("table.week-table caption")).to_have_text(f"Week of {start}")
    expect(page.locator("#offline-note")).to_contain_text("No connection")
    page.get_by_label(f"Hours, {label(day)}", exact=True).fill("0:15")
    page.get_by_label(f"What you did, {label(day)}", exact=True).fill(what)
    page.get_by_role("button", name="Submit the week for approval").click()

    expect(page).to_have_url(re.compile(r"[?&]queued="))
    expect(page.get_by_role("status")).to_contain_text("Saved on this device")
    expect(waiting_panel(page).get_by_role("heading")).to_have_text("A week waiting on this device")
    expect(waiting_panel(page)).to_contain_text(f"Week of {start}")
    expect(waiting_panel(page)).to_contain_text(f"{day}: 0:15 h")
    # Nothing is lost across a reload without a connection, and the page passes axe with the list on it.
    page.reload()
    expect(waiting_panel(page)).to_contain_text(f"Week of {start}")
    axe_check(page, "week form offline with a week waiting")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"), "wider than the phone"

    context.set_offline(False)
    expect(page.get_by_role("status")).to_contain_text(f"Sent: the week of {start}")
    expect(waiting_panel(page)).to_be_hidden()
    assert rows_with(page, jordan, day, what) == 1

    # Later visits send nothing again.
    page.goto(f"{jordan}/hours/week?start={start}")
    expect(waiting_panel(page)).to_be_hidden()
    page.reload()
    assert rows_with(page, jordan, day, what) == 1


def test_a_lost_answer_is_sent_again_and_stored_once(new_context, jordan: str):
    context = new_context(PHONE)
    start, day = WEEK, WEEK + timedelta(days=1)
    page = open_week_online(context, jordan, start)
    what = unique("Defibrillator battery checks")

    log_offline(context, page, day, "0:15", what)

    # The connection comes back but drops again after the server stored the week, before its answer arrives.
    posts: list[int] = []

    def lose_the_answer(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        response = route.fetch()
        posts.append(response.status)
        route.abort("internetdisconnected")

    page.route(re.compile(r"/hours/week$"), lose_the_answer)
    context.set_offline(False)
    for _ in range(75):
        if posts:
            break
        page.wait_for_timeout(200)  # lets Playwright run the route handler while the page sends
    assert posts, "the waiting week was not sent when the connection came back"
    expect(waiting_panel(page)).to_contain_text(f"Week of {start}")
    page.unroute(re.compile(r"/hours/week$"))

    # The next page sends it again under the same key: the server answers with what it stored the first time.
    page.reload()
    expect(page.get_by_role("status")).to_contain_text(f"Sent: the week of {start}")
    expect(waiting_panel(page)).to_be_hidden()
    assert rows_with(page, jordan, day, what) == 1


def test_a_refused_week_comes_back_with_its_message(new_context, jordan: str):
    context = new_context(PHONE)
    start, day = WEEK, WEEK + timedelta(days=2)
    page = open_week_online(context, jordan, start)
    what = unique("Patient monitor alarm tests")

    log_offline(context, page, day, "99", what)

    context.set_offline(False)
    panel = waiting_panel(page)
    expect(panel).to_contain_text("Not stored")
    expect(panel).to_contain_text(f"{day}, Hours:")
    axe_check(page, "a refused offline week")
    assert rows_with(page, jordan, day, what) == 0

    # Back into the form with the message by the field; fixed and sent, it leaves the device.
    page.goto(f"{jordan}/hours/week?start={start}")
    waiting_panel(page).get_by_role("link", name="Fix this week in the form").click()
    hours = page.get_by_label(f"Hours, {label(day)}", exact=True)
    expect(hours).to_have_value("99")
    expect(hours).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".error-summary")).to_contain_text("This week was not stored")
    axe_check(page, "a refused week back in its form")
    hours.fill("0:15")
    page.get_by_role("button", name="Submit the week for approval").click()
    expect(page.get_by_role("status")).to_contain_text("1 entry saved")
    expect(waiting_panel(page)).to_be_hidden()
    assert rows_with(page, jordan, day, what) == 1


def test_a_hanging_connection_gets_the_saved_form(new_context, jordan: str):
    """One bar of signal in a stairwell: the server does not answer, and after a few seconds the saved form is shown."""
    context = new_context(PHONE)
    start = WEEK
    page = open_week_online(context, jordan, start)

    hung: list[str] = []

    def hang(route: Route) -> None:
        if route.request.method == "GET" and route.request.url.endswith(f"/hours/week?start={start}"):
            hung.append(route.request.url)
            return  # never answered: the request stays open, as on a connection that hangs
        route.continue_()

    context.route(re.compile(r"/hours/week"), hang)
    started = datetime.now(timezone.utc)
    page.reload()
    expect(page.locator("table.week-table caption")).to_have_text(f"Week of {start}", timeout=10_000)
    assert hung, "the worker's request for the form never reached the network"
    assert (datetime.now(timezone.utc) - started).total_seconds() < 11, "the saved form came only after the network gave up"
