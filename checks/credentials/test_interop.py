"""What real verifiers check, applied to what the web app itself issues and publishes (the files the Swift test
AppPythonFixtureExport wrote to $BMET_VC_FIXTURES/app) and to the library's fixtures.

- 1EdTech's Open Badges 3.0 validator (digital-credentials-public-validator, inspector-vc ExternalProofProbe): the
  header's alg must be RS256; the kid is dereferenced to ONE JWK with `n` and `e` (a did:web kid through the DID
  document: the kid listed under assertionMethod and exactly one verificationMethod with that id); the JWT then
  verifies with that RSA key, its nbf and exp against the clock. Re-implemented here from that behaviour, not copied.
- Open Badges 3.0 §8.2: `sub` is required and equals credentialSubject.id; the OB 3.0 AchievementCredential
  schema's required members (checked member by member: the schema files are not fetched here).
- openbadgeslib, an independent Open Badges 3.0 verifier, resolves the did:web issuer and verifies each credential.
- The CLR's nested credentials each verify on their own; the status list is valid from a little in the past, has
  validUntil and ttl; a forged file is refused by the web page with its reason.
"""

import json
import time
from pathlib import Path
from urllib.parse import unquote

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers
from openbadgeslib.ob3 import OB3VerificationError, OB3Verifier

from test_vc_jwt import REGISTERED_CLAIMS, b64url_decode, b64url_encode, thumbprint


@pytest.fixture(scope="session")
def app(fixtures: Path) -> Path:
    folder = fixtures / "app"
    names = ["credential.jwt", "old-credential.jwt", "clr.jwt", "did.json", "jwks.json", "statuslist.jwt", "forged.jwt",
             "verify-forged.html", "verify-real.html", "expected.json"]
    missing = [name for name in names if not (folder / name).is_file()]
    if missing:
        pytest.fail(f"{folder} lacks {', '.join(missing)}: did the Swift test AppPythonFixtureExport run?")
    return folder


def read(folder: Path, name: str) -> str:
    return (folder / name).read_text().strip()


def did_web_document_url(did: str) -> str:
    """The did:web read algorithm: ':' to '/', a %3A port decoded, /.well-known when there is no path, + /did.json."""
    assert did.startswith("did:web:")
    host, *path = [unquote(part) for part in did[len("did:web:"):].split(":")]
    return f"https://{host}/{'/'.join(path)}/did.json" if path else f"https://{host}/.well-known/did.json"


def published(folder: Path) -> dict:
    """The documents the issuer publishes, by the https URL a verifier would fetch them from."""
    expected = json.loads(read(folder, "expected.json"))
    return {did_web_document_url(expected["did"]): (folder / "did.json").read_bytes()}


def dereference_kid(kid: str, documents: dict) -> dict:
    """The ONE JWK a did:web kid names, as 1EdTech's resolver finds it: the DID document the DID resolves to, the kid
    listed as an assertion method, exactly one verification method with that id."""
    did, _, fragment = kid.partition("#")
    assert did.startswith("did:web:") and fragment, f"the kid {kid} is not a DID URL of a did:web verification method"
    document = json.loads(documents[did_web_document_url(did)])
    assert document["id"] == did
    assert kid in document["assertionMethod"], "the key is not an assertion method of the DID"
    methods = [method for method in document["verificationMethod"] if method["id"] == kid]
    assert len(methods) == 1, f"{len(methods)} verification methods have id {kid}"
    assert methods[0]["controller"] == did
    assert methods[0]["type"] == "JsonWebKey"
    return methods[0]["publicKeyJwk"]


def external_proof_probe(token: str, documents: dict) -> dict:
    """1EdTech's ExternalProofProbe, as it behaves: RS256 only, kid to one RSA JWK (n, e), then the JWT verified with
    that key (signature, nbf, exp). Returns the payload."""
    header = jwt.get_unverified_header(token)
    assert header.get("alg") == "RS256", "alg must be present and must be 'RS256'"
    assert "kid" in header or "jwk" in header, "Key must present in either jwk or kid value."
    jwk = dereference_kid(header["kid"], documents)
    modulus, exponent = (int.from_bytes(b64url_decode(jwk[m]), "big") for m in ("n", "e"))
    assert modulus.bit_length() >= 2048
    key = RSAPublicNumbers(exponent, modulus).public_key()
    return jwt.decode(token, key, algorithms=["RS256"], options={"verify_aud": False})


def check_ob3_required_members(vc: dict) -> None:
    """The required members of the OB 3.0 AchievementCredential schema, and the VC-JWT claims of §8.2."""
    for member in ("@context", "id", "type", "issuer", "validFrom", "credentialSubject", "name"):
        assert member in vc, member
    assert vc["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert any(c.startswith("https://purl.imsglobal.org/spec/ob/v3p0/context") for c in vc["@context"])
    assert "VerifiableCredential" in vc["type"]
    assert {"OpenBadgeCredential", "AchievementCredential"} & set(vc["type"])
    assert "Profile" in vc["issuer"]["type"] and vc["issuer"]["id"]
    subject = vc["credentialSubject"]
    assert "AchievementSubject" in subject["type"]
    achievement = subject["achievement"]
    for member in ("id", "type", "criteria", "description", "name"):
        assert member in achievement, member
    assert "Achievement" in achievement["type"]
    assert vc["iss"] == vc["issuer"]["id"] and vc["jti"] == vc["id"]
    assert vc["sub"] == subject["id"], "OB 3.0 §8.2: sub is credentialSubject.id"
    assert vc["credentialSchema"][0]["type"] == "1EdTechJsonSchemaValidator2019"
    assert vc["credentialSchema"][0]["id"].endswith("ob_v3p0_achievementcredential_schema.json")


def resolvable(url: str) -> bool:
    return url.startswith("urn:uuid:") or url.startswith("http")


# --- What the web app issues -------------------------------------------------------------------------------------


def test_the_apps_certificate_passes_what_1edtechs_validator_checks(app):
    documents = published(app)
    expected = json.loads(read(app, "expected.json"))
    vc = external_proof_probe(read(app, "credential.jwt"), documents)
    check_ob3_required_members(vc)
    assert vc["issuer"]["id"] == expected["did"]
    assert vc["sub"].startswith("urn:uuid:")
    assert vc["id"].endswith("/verify/" + expected["number"]), "the id resolves to the public verification record"
    assert vc["credentialSubject"]["achievement"]["id"].startswith("urn:uuid:")
    codes = {a["targetCode"] for a in vc["credentialSubject"]["achievement"]["alignment"]}
    assert codes == {"49-9062.00", "0888HY"}
    assert "jointly" not in vc["credentialSubject"]["achievement"]["description"]


def test_openbadgeslib_resolves_the_did_web_issuer_and_verifies_the_certificate(app):
    documents = published(app)
    expected = json.loads(read(app, "expected.json"))
    verifier = OB3Verifier.for_issuer_did(expected["did"], download=lambda url, *a, **k: documents[url])
    credential = verifier.verify(read(app, "credential.jwt"))
    assert credential.recipient_id.startswith("urn:uuid:")
    with pytest.raises(OB3VerificationError):
        verifier.verify(read(app, "forged.jwt"))


def test_the_kid_dereferences_to_exactly_one_jwk_and_every_key_stays_published(app):
    documents = published(app)
    document = json.loads(documents[did_web_document_url(json.loads(read(app, "expected.json"))["did"])])
    kinds = sorted(method["publicKeyJwk"]["kty"] for method in document["verificationMethod"])
    assert kinds == ["OKP", "RSA"], "the Ed25519 key of earlier credentials stays published beside the RSA key"
    ids = [method["id"] for method in document["verificationMethod"]]
    assert len(ids) == len(set(ids)) and sorted(ids) == sorted(document["assertionMethod"])
    jwks = json.loads(read(app, "jwks.json"))
    assert sorted(key["kid"] for key in jwks["keys"]) == sorted(ids), "/.well-known/jwks.json names the same keys"


def test_a_credential_signed_with_the_earlier_ed25519_key_still_verifies(app):
    old = read(app, "old-credential.jwt")
    header = jwt.get_unverified_header(old)
    assert header["alg"] == "EdDSA"
    document = json.loads(read(app, "did.json"))
    # Issued when keys were named after the JWK set's URL; the same key is in the DID document by its thumbprint.
    fragment = header["kid"].rpartition("#")[2]
    [method] = [m for m in document["verificationMethod"] if thumbprint(m["publicKeyJwk"]) == fragment]
    payload = jwt.decode(old, jwt.PyJWK(method["publicKeyJwk"]).key, algorithms=["EdDSA"], options={"verify_aud": False})
    assert payload["name"].startswith("Skill set completed")


def test_each_credential_inside_the_apps_clr_verifies_on_its_own(app):
    documents = published(app)
    expected = json.loads(read(app, "expected.json"))
    clr = external_proof_probe(read(app, "clr.jwt"), documents)
    assert "ClrCredential" in clr["type"] and "ClrSubject" in clr["credentialSubject"]["type"]
    assert clr["credentialSchema"][0]["id"].endswith("clr_v2p0_clrcredential_schema.json")
    assert clr["sub"] == clr["credentialSubject"]["id"] and resolvable(clr["id"])
    nested = clr["credentialSubject"]["verifiableCredential"]
    assert len(nested) >= 2
    verifier = OB3Verifier.for_issuer_did(expected["did"], download=lambda url, *a, **k: documents[url])
    for inner in nested:
        [proof] = [p for p in inner["proof"] if p["type"] == "JwtProof2020"]
        payload = external_proof_probe(proof["jwt"], documents)
        check_ob3_required_members(payload)
        verifier.verify(proof["jwt"])
        assert {k: v for k, v in inner.items() if k != "proof"} == {k: v for k, v in payload.items() if k not in REGISTERED_CLAIMS}
        assert payload["sub"] == clr["credentialSubject"]["id"]


def test_the_status_list_is_valid_from_a_little_in_the_past_with_validuntil_and_ttl(app):
    documents = published(app)
    now = time.time()
    status = external_proof_probe(read(app, "statuslist.jwt"), documents)
    assert "BitstringStatusListCredential" in status["type"]
    assert status["nbf"] <= now - 60, "a verifier whose clock is a minute behind must accept it"
    assert status["exp"] > now + 3600, "valid for a while yet"
    assert status["credentialSubject"]["ttl"] > 0
    key = jwt.PyJWK(dereference_kid(jwt.get_unverified_header(read(app, "statuslist.jwt"))["kid"], documents)).key
    # PyJWT compares nbf with its own clock; a 2-minute lag is simulated with a negative leeway on the other side.
    jwt.decode(read(app, "statuslist.jwt"), key, algorithms=["RS256"], leeway=-120, options={"verify_aud": False, "verify_exp": False})


def test_the_web_page_refuses_the_forged_file_with_its_reason_and_accepts_the_real_one(app):
    expected = json.loads(read(app, "expected.json"))
    with pytest.raises(jwt.InvalidSignatureError):
        external_proof_probe(read(app, "forged.jwt"), published(app))
    refused = read(app, "verify-forged.html")
    assert expected["forgedStatus"] == 422
    assert "Not valid" in refused and "The signature does not match" in refused
    accepted = read(app, "verify-real.html")
    assert expected["realStatus"] == 200
    assert "Valid: " in accepted and expected["number"] in accepted


def test_a_credential_the_demo_data_issues_passes_the_validators_checks(fixtures):
    demo = fixtures / "demo"
    expected = json.loads(read(demo, "expected.json"))
    documents = {did_web_document_url(expected["did"]): (demo / "did.json").read_bytes()}
    vc = external_proof_probe(read(demo, "credential.jwt"), documents)
    check_ob3_required_members(vc)
    assert vc["name"].startswith("Skill set completed")
    assert vc["id"].endswith("/verify/" + expected["number"])
    verifier = OB3Verifier.for_issuer_did(expected["did"], download=lambda url, *a, **k: documents[url])
    assert verifier.verify(read(demo, "credential.jwt")).recipient_id == vc["sub"]


# --- The library's fixtures ----------------------------------------------------------------------------------------


def test_the_librarys_credential_passes_the_same_checks(fixtures, token, expected):
    documents = {did_web_document_url(expected["did"]): (fixtures / "did.json").read_bytes()}
    check_ob3_required_members(external_proof_probe(token("credential.jwt"), documents))
    with pytest.raises(jwt.InvalidSignatureError):
        external_proof_probe(token("tampered.jwt"), documents)


def test_an_ed25519_or_unknown_kid_fails_the_probe(token, fixtures, expected):
    documents = {did_web_document_url(expected["did"]): (fixtures / "did.json").read_bytes()}
    with pytest.raises(AssertionError, match="RS256"):
        external_proof_probe(token("old-credential.jwt"), documents)
    header, payload, signature = token("credential.jwt").split(".")
    other_kid = json.dumps({"alg": "RS256", "kid": expected["did"] + "#not-a-key", "typ": "JWT"}).encode()
    forged_header = b64url_encode(other_kid)
    with pytest.raises(AssertionError, match="not an assertion method"):
        external_proof_probe(f"{forged_header}.{payload}.{signature}", documents)
