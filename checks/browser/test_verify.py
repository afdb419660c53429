"""/verify checks a credential file for real: a forged file that copies a real-looking number is refused with the
reason, uploaded or pasted, without JavaScript, at phone width, and the page passes axe."""

from __future__ import annotations

import base64
import json
import secrets
import urllib.request

from playwright.sync_api import expect

from conftest import BASE_URL, OVERFLOW_JS, PHONE, axe_check


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forged_credential() -> str:
    """A VC-JWT that names the site's own issuer and key, with a signature nobody made: what a forger can write."""
    with urllib.request.urlopen(f"{BASE_URL}/.well-known/did.json") as response:
        document = json.load(response)
    kid = document["assertionMethod"][0]
    did = document["id"]
    number = "BMET-2026-7KQ3-M9XD-P2RT"
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": f"{BASE_URL}/verify/{number}", "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did, "type": ["Profile"], "name": "AAMI"}, "validFrom": "2026-01-15T17:30:00Z",
        "name": "Certificate of Completion of Apprenticeship",
        "credentialSubject": {"type": ["AchievementSubject"], "id": "urn:uuid:5d1c2f1e-7a43-4c1b-9d3e-2a6f0b8c4e11",
                              "achievement": {"id": "urn:uuid:9a046e3f-cc38-8244-8f1c-7c1633d3df4d", "type": ["Achievement"],
                                              "name": "Certificate of Completion of Apprenticeship", "description": "Forged.",
                                              "criteria": {"narrative": "None."}}},
        "iss": did, "jti": f"{BASE_URL}/verify/{number}", "nbf": 1768498200, "sub": "urn:uuid:5d1c2f1e-7a43-4c1b-9d3e-2a6f0b8c4e11",
    }
    header = b64url(json.dumps({"alg": "RS256", "kid": kid, "typ": "JWT"}).encode())
    payload = b64url(json.dumps(credential).encode())
    return f"{header}.{payload}.{b64url(secrets.token_bytes(256))}"


def test_verify_refuses_a_forged_file_with_its_reason(new_context):
    forged = forged_credential()
    page = new_context(PHONE).new_page()
    page.goto("/verify")

    # Uploaded.
    page.get_by_label("Credential file").set_input_files(
        files=[{"name": "certificate.jwt", "mimeType": "application/vc+jwt", "buffer": forged.encode()}])
    page.get_by_role("button", name="Check the credential").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Not valid")
    expect(alert).to_contain_text("The signature does not match")
    expect(page.locator("main")).not_to_contain_text("Valid: ")
    axe_check(page, "/verify refusing a forged file")
    m = page.evaluate(OVERFLOW_JS)
    assert m["scrollWidth"] <= m["clientWidth"] + 1, f"/verify overflows at 390px: {m['wide']}"

    # Pasted, the same.
    page.goto("/verify")
    page.get_by_label("Or paste the credential").fill(forged)
    page.get_by_role("button", name="Check the credential").click()
    expect(page.get_by_role("alert")).to_contain_text("The signature does not match")

    # Nothing given: a message by the field.
    page.goto("/verify")
    page.get_by_role("button", name="Check the credential").click()
    expect(page.locator("#credential-error")).to_be_visible()
    expect(page.get_by_label("Or paste the credential")).to_have_attribute("aria-invalid", "true")
    axe_check(page, "/verify with a field error")


def test_verify_works_without_javascript(new_context, browser):
    context = browser.new_context(base_url=BASE_URL, java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto("/verify")
        page.get_by_label("Or paste the credential").fill(forged_credential())
        page.get_by_role("button", name="Check the credential").click()
        expect(page.locator("#file-reason")).to_contain_text("The signature does not match")
    finally:
        context.close()
