"""A new partner employer, end to end in a real browser, as the people involved would do it."""

from __future__ import annotations

import re
import secrets

from playwright.sync_api import Page, expect

from conftest import BASE_URL, ROLES, axe_check, sign_in
from inbox import mailed_link

EMPLOYER = {
    "name": "Lone Star Imaging",
    "street": "100 Congress Ave",
    "city": "Austin",
    "state": "Texas",
    "zip": "78701",
    "phone": "(512) 555-0142",
}


def fill_employer_form(page: Page, *, name: str, street: str, city: str, state: str, zip_code: str, phone: str = "") -> None:
    page.get_by_label("Organization name").fill(name)
    page.get_by_label("Street address").fill(street)
    page.get_by_label("City").fill(city)
    page.get_by_label("State").select_option(label=state)
    page.get_by_label("ZIP code").fill(zip_code)
    if phone:
        page.get_by_label("Phone").fill(phone)


def open_invitation_from_outbox(page: Page, recipient: str) -> str:
    """As the program admin: finds the invitation e-mail in the Outbox, opens it, returns the link in its body."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Outbox").click()
    expect(page.get_by_role("heading", level=1, name="Outbox")).to_be_visible()
    row = page.locator("tbody tr", has_text=recipient)
    expect(row).to_have_count(1)
    row.get_by_role("link").click()
    expect(page.locator(".facts")).to_contain_text(recipient)
    body = page.locator("pre.mail-body").inner_text()
    # Staff reading the outbox must not get the secret link; the recipient's mail has it.
    assert re.search(r"/invitations/[A-Za-z0-9_\-]{20,}", body) is None, f"the outbox shows a live invitation link:\n{body}"
    assert "/invitations/[hidden" in body, body
    link = mailed_link(recipient, "invitations")
    assert link.startswith(BASE_URL + "/invitations/"), link
    return link


def invite_through_people_page(page: Page, full_name: str, email: str, role: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    page.get_by_role("link", name="Invite someone").click()
    expect(page).to_have_url(re.compile(r"/people/invite$"))
    page.get_by_label("Full name").fill(full_name)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Role").select_option(label=role)
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("alert")).to_have_count(0)


def test_new_employer_journey(new_context):
    tag = secrets.token_hex(3)  # the test may run again against the same server
    admin_email = f"maria.delgado.{tag}@lonestarimaging.example"
    mentor_email = f"james.whitaker.{tag}@lonestarimaging.example"
    apprentice_email = f"aisha.thompson.{tag}@lonestarimaging.example"
    admin_name = f"Maria Delgado {tag}"
    mentor_name = f"James Whitaker {tag}"
    apprentice_name = f"Aisha Thompson {tag}"

    # 1. The program administrator adds the employer.
    sponsor = new_context().new_page()
    sign_in(sponsor, ROLES["program_admin"])
    sponsor.get_by_role("navigation", name="Main").get_by_role("link", name="Employers").click()
    expect(sponsor.get_by_role("heading", level=1, name="Employers")).to_be_visible()
    sponsor.get_by_role("link", name="Add an employer").click()
    fill_employer_form(sponsor, name=EMPLOYER["name"], street=EMPLOYER["street"], city=EMPLOYER["city"],
                       state=EMPLOYER["state"], zip_code=EMPLOYER["zip"], phone=EMPLOYER["phone"])
    sponsor.get_by_role("button", name="Add the employer").click()
    expect(sponsor).to_have_url(re.compile(r"/employers/[0-9A-Fa-f-]{36}\?created=1$"))
    employer_path = re.search(r"/employers/[0-9A-Fa-f-]{36}", sponsor.url).group(0)
    expect(sponsor.get_by_role("status")).to_contain_text("The employer was added")
    expect(sponsor.get_by_role("heading", level=1)).to_have_text(EMPLOYER["name"])
    expect(sponsor.locator("main address")).to_contain_text("100 Congress Ave")
    expect(sponsor.locator("main address")).to_contain_text("Austin")
    expect(sponsor.locator("main address")).to_contain_text("78701")
    axe_check(sponsor, "new employer page")

    # 2. …invites its administrator from the employer page.
    invite = sponsor.get_by_role("region", name=re.compile("^Invite someone to"))
    invite.get_by_label("Full name").fill(admin_name)
    invite.get_by_label("E-mail").fill(admin_email)
    invite.get_by_label("Role").select_option(label="Employer administrator")
    invite.get_by_role("button", name="Send the invitation").click()
    expect(sponsor).to_have_url(re.compile(re.escape(employer_path) + r"\?invited=1$"))
    expect(sponsor.get_by_role("status")).to_contain_text("The invitation was sent")
    expect(sponsor.locator("main table", has_text=admin_email)).to_be_visible()

    # 3. …and reads the e-mail in the Outbox.
    link = open_invitation_from_outbox(sponsor, admin_email)

    # 4. The invitee opens the link in their own browser and creates the account.
    invitee = new_context().new_page()
    response = invitee.goto(link)
    assert response is not None and response.status == 200
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Create your account")
    expect(invitee.locator("main")).to_contain_text(EMPLOYER["name"])
    expect(invitee.locator("main")).to_contain_text(admin_email)
    axe_check(invitee, "invitation form")
    invitee.get_by_label("Full name").fill(admin_name)
    invitee.locator("#password").fill("lone-star-2026-secure")
    invitee.locator("#passwordConfirm").fill("lone-star-2026-secure")
    invitee.get_by_role("button", name="Create my account").click()
    expect(invitee).to_have_url(re.compile(r"/dashboard$"))
    expect(invitee.locator(".site-header .who")).to_contain_text(admin_name)
    expect(invitee.locator("main")).to_contain_text(EMPLOYER["name"])

    # The link works once.
    again = new_context().new_page()
    response = again.goto(link)
    assert response is not None and response.status == 404
    expect(again.get_by_role("heading", level=1)).to_have_text("This invitation cannot be used")

    # 5. The new employer administrator invites a mentor and an apprentice.
    invite_through_people_page(invitee, mentor_name, mentor_email, "Mentor")
    invite_through_people_page(invitee, apprentice_name, apprentice_email, "Apprentice")
    invitee.get_by_role("navigation", name="Main").get_by_role("link", name="Our organization").click()
    expect(invitee).to_have_url(re.compile(re.escape(employer_path) + "$"))
    for email in (admin_email, mentor_email, apprentice_email):
        expect(invitee.locator("main")).to_contain_text(email)

    # Both invitations were e-mailed.
    sponsor.goto("/outbox")
    for email in (mentor_email, apprentice_email):
        expect(sponsor.locator("tbody tr", has_text=email)).to_have_count(1)

    # 6. Another employer's administrator sees none of it.
    other = new_context().new_page()
    sign_in(other, ROLES["other_employer_admin"])
    other.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(other.get_by_role("heading", level=1, name="People")).to_be_visible()
    people_text = other.locator("main").inner_text()
    for secret in (admin_email, admin_name, mentor_email, mentor_name, apprentice_email, apprentice_name, EMPLOYER["name"]):
        assert secret not in people_text, f"{ROLES['other_employer_admin']} sees {secret!r} on /people"
    response = other.goto(employer_path)
    assert response is not None and response.status == 404, f"another employer's page answered {response and response.status}"
    assert EMPLOYER["name"] not in other.locator("body").inner_text()


def test_employer_form_shows_zip_error_and_keeps_values(page: Page):
    sign_in(page, ROLES["program_admin"])
    page.goto("/employers/new")
    fill_employer_form(page, name="Bayou Clinical Engineering", street="1500 Poydras St", city="New Orleans",
                       state="Louisiana", zip_code="10001", phone="(504) 555-0199")  # 10001 is New York
    page.get_by_role("button", name="Add the employer").click()

    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    zip_input = page.get_by_label("ZIP code")
    expect(zip_input).to_have_attribute("aria-invalid", "true")
    expect(zip_input).to_have_attribute("aria-describedby", "zip-error")
    message = page.locator("#zip-error")
    expect(message).to_be_visible()
    assert message.inner_text().strip(), "the ZIP error message is empty"
    # The message sits next to the ZIP field: in the same field group, right after the input.
    assert page.evaluate("() => document.querySelector('#zip').closest('.field').contains(document.querySelector('#zip-error'))")
    zip_box, msg_box = zip_input.bounding_box(), message.bounding_box()
    assert msg_box["y"] >= zip_box["y"] + zip_box["height"] - 1 and abs(msg_box["x"] - zip_box["x"]) < 40

    expect(page.get_by_label("Organization name")).to_have_value("Bayou Clinical Engineering")
    expect(page.get_by_label("Street address")).to_have_value("1500 Poydras St")
    expect(page.get_by_label("City")).to_have_value("New Orleans")
    expect(page.get_by_label("State")).to_have_value("LA")
    expect(zip_input).to_have_value("10001")
    expect(page.get_by_label("Phone")).to_have_value("(504) 555-0199")
    axe_check(page, "employer form with errors")

    # Nothing was saved.
    page.goto("/employers")
    expect(page.locator("main")).not_to_contain_text("Bayou Clinical Engineering")
