"""An independent check of the Swift credentials library (Sources/BMETCredentials).

Verifies the VC-JWTs it signed with PyJWT and the `cryptography` package, reading only the published JWK set, and
checks the Open Badges 3.0, CLR 2.0 and Bitstring Status List shapes against the specifications, not against the
Swift code. Nothing here is shared with the Swift side but the files it wrote.
"""

import base64
import gzip
import hashlib
import json
import time
from datetime import datetime

import jwt
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
REGISTERED_CLAIMS = ("iss", "jti", "nbf", "exp", "sub")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def key_for(token: str, jwks: dict):
    """The public key of the JWK set that the token's header names."""
    kid = jwt.get_unverified_header(token)["kid"]
    matches = [key for key in jwks["keys"] if key.get("kid") == kid]
    assert len(matches) == 1, f"the JWK set has {len(matches)} keys with kid {kid}"
    return jwt.PyJWK(matches[0]).key


def verify(token: str, jwks: dict) -> dict:
    """PyJWT's verification: RS256 (or EdDSA for keys made before RS256), the registered claims Open Badges 3.0
    requires, nbf against the clock."""
    header = jwt.get_unverified_header(token)
    assert header["alg"] in ("RS256", "EdDSA")
    assert header.get("typ", "JWT") == "JWT"
    assert set(header) <= {"alg", "kid", "typ", "jwk"}, "Open Badges 3.0 allows no other JOSE headers"
    return jwt.decode(
        token,
        key_for(token, jwks),
        algorithms=[header["alg"]],
        options={"require": ["iss", "jti", "nbf"], "verify_aud": False},
    )


def verify_with_cryptography(token: str, jwks: dict) -> None:
    """A second, lower-level check: raw RSASSA-PKCS1-v1_5 / SHA-256 or Ed25519 over the signing input."""
    header_b64, payload_b64, signature_b64 = token.split(".")
    kid = json.loads(b64url_decode(header_b64))["kid"]
    jwk = next(key for key in jwks["keys"] if key["kid"] == kid)
    message = f"{header_b64}.{payload_b64}".encode()
    if jwk["kty"] == "RSA":
        numbers = RSAPublicNumbers(int.from_bytes(b64url_decode(jwk["e"]), "big"), int.from_bytes(b64url_decode(jwk["n"]), "big"))
        numbers.public_key().verify(b64url_decode(signature_b64), message, padding.PKCS1v15(), hashes.SHA256())
    else:
        Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"])).verify(b64url_decode(signature_b64), message)


def thumbprint(jwk: dict) -> str:
    """RFC 7638 thumbprint of an RSA or OKP key."""
    members = ("e", "kty", "n") if jwk["kty"] == "RSA" else ("crv", "kty", "x")
    canonical = json.dumps({m: jwk[m] for m in members}, separators=(",", ":"), sort_keys=True)
    return b64url_encode(hashlib.sha256(canonical.encode()).digest())


def bit(bitstring: bytes, index: int) -> bool:
    """Bitstring Status List: index 0 is the leftmost bit of the first byte."""
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


# --- The JWK set -------------------------------------------------------------------------------------------------


def test_jwks_publishes_the_rsa_key_and_keeps_the_retired_ed25519_key(jwks, expected):
    assert len(jwks["keys"]) == 2, "the retired key stays published"
    active, retired = jwks["keys"]
    assert active["kty"] == "RSA" and active["alg"] == "RS256" and active["use"] == "sig"
    assert len(b64url_decode(active["n"])) * 8 >= 2048, "RSA keys of at least 2048 bits"
    assert retired["kty"] == "OKP" and retired["crv"] == "Ed25519" and retired["alg"] == "EdDSA"
    assert len(b64url_decode(retired["x"])) == 32
    for key in jwks["keys"]:
        assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key), "a JWK set must never carry a private key"
        assert key["kid"] == expected["did"] + "#" + thumbprint(key)
    assert active["kid"] == expected["activeKid"]


# --- The Open Badge ----------------------------------------------------------------------------------------------


def test_the_credential_signature_verifies_independently(token, jwks, expected):
    credential = token("credential.jwt")
    verify(credential, jwks)
    verify_with_cryptography(credential, jwks)
    assert jwt.get_unverified_header(credential)["kid"] == expected["activeKid"]


def test_a_credential_signed_before_the_key_rotation_still_verifies(token, jwks, expected):
    old = token("old-credential.jwt")
    claims = verify(old, jwks)
    verify_with_cryptography(old, jwks)
    assert jwt.get_unverified_header(old)["kid"] != expected["activeKid"]
    assert claims["credentialSubject"]["achievement"]["achievementType"] == "Competency"


def test_the_credential_has_the_open_badges_3_shape(token, jwks, expected):
    vc = verify(token("credential.jwt"), jwks)

    assert vc["@context"] == [VC_CONTEXT, OB_CONTEXT]
    assert "VerifiableCredential" in vc["type"] and "OpenBadgeCredential" in vc["type"]
    assert vc["id"].startswith("https://") and vc["name"]

    issuer = vc["issuer"]
    assert "Profile" in issuer["type"]
    assert issuer["id"] and issuer["name"] and issuer["url"]

    # VC-JWT claims (Open Badges 3.0 §8.2): the payload is the credential, the claims mirror it.
    assert "vc" not in vc
    assert vc["iss"] == issuer["id"]
    assert vc["jti"] == vc["id"]
    valid_from = vc["validFrom"]
    assert valid_from.endswith("Z")
    assert vc["nbf"] == int(datetime.fromisoformat(valid_from.replace("Z", "+00:00")).timestamp())
    # Open Badges 3.0 §8.2: sub is required and is credentialSubject.id.
    assert vc["sub"] == vc["credentialSubject"]["id"] == expected["subjectID"]
    assert vc["sub"].startswith("urn:uuid:")
    assert issuer["id"] == expected["did"]
    assert vc["credentialSchema"] == [{
        "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
        "type": "1EdTechJsonSchemaValidator2019",
    }]

    subject = vc["credentialSubject"]
    assert "AchievementSubject" in subject["type"]
    assert subject.get("id") or subject["identifier"], "a subject needs id or identifier"
    achievement = subject["achievement"]
    assert "Achievement" in achievement["type"]
    for member in ("id", "name", "description"):
        assert achievement[member], member
    assert achievement["criteria"]["narrative"]
    assert achievement["achievementType"] == "ApprenticeshipCertificate"

    status = vc["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert status["statusListIndex"].isdigit(), "statusListIndex is a string of digits"
    assert status["statusListCredential"].startswith("https://")
    assert status["id"] == f'{status["statusListCredential"]}#{status["statusListIndex"]}'


def test_the_email_is_only_a_salted_hash(token, jwks, expected):
    raw = token("credential.jwt")
    vc = verify(raw, jwks)
    email = expected["subjectEmail"]
    assert email.lower() not in b64url_decode(raw.split(".")[1]).decode().lower()
    hashed = [i for i in vc["credentialSubject"]["identifier"] if i["identityType"] == "emailAddress"]
    assert len(hashed) == 1 and hashed[0]["hashed"] is True and hashed[0]["type"] == "IdentityObject"
    digest = hashlib.sha256((email.lower() + hashed[0]["salt"]).encode()).hexdigest()
    assert hashed[0]["identityHash"] == "sha256$" + digest
    names = [i for i in vc["credentialSubject"]["identifier"] if i["identityType"] == "name"]
    assert names == [{"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": "Jordan Rivera"}]


# --- Tampering ---------------------------------------------------------------------------------------------------


def test_the_tampered_copy_fails(token, jwks):
    tampered = token("tampered.jwt")
    # It still decodes: only the signature gives it away.
    assert "Jordan Riviera" in b64url_decode(tampered.split(".")[1]).decode()
    with pytest.raises(jwt.InvalidSignatureError):
        verify(tampered, jwks)
    with pytest.raises(InvalidSignature):
        verify_with_cryptography(tampered, jwks)


@pytest.mark.parametrize("offset", [0, 17, 150, -5])
def test_changing_any_one_character_of_the_payload_fails(token, jwks, offset):
    header, payload, signature = token("credential.jwt").split(".")
    position = offset % len(payload)
    replacement = "B" if payload[position] == "A" else "A"
    changed = payload[:position] + replacement + payload[position + 1 :]
    with pytest.raises(jwt.InvalidTokenError):
        verify(f"{header}.{changed}.{signature}", jwks)


def test_a_key_outside_the_set_is_not_trusted(token, jwks):
    credential = token("credential.jwt")
    kid = jwt.get_unverified_header(credential)["kid"]
    others = {"keys": [key for key in jwks["keys"] if key["kid"] != kid]}
    with pytest.raises(AssertionError):
        verify(credential, others)


# --- The status list ---------------------------------------------------------------------------------------------


def test_the_status_list_is_signed_and_revokes_the_credential(token, jwks, expected):
    status_list = verify(token("statuslist.jwt"), jwks)
    verify_with_cryptography(token("statuslist.jwt"), jwks)
    credential = verify(token("credential.jwt"), jwks)
    entry = credential["credentialStatus"]

    assert status_list["@context"][0] == VC_CONTEXT
    assert "BitstringStatusListCredential" in status_list["type"]
    assert status_list["id"] == entry["statusListCredential"]
    assert status_list["iss"] == credential["iss"]
    subject = status_list["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"

    encoded = subject["encodedList"]
    assert encoded.startswith("u"), "multibase prefix u: base64url without padding"
    assert "=" not in encoded
    compressed = b64url_decode(encoded[1:])
    assert compressed[:2] == b"\x1f\x8b", "GZIP magic number"
    bitstring = gzip.decompress(compressed)
    assert len(bitstring) * 8 >= 131_072, "at least 16 KiB of bits"

    assert bit(bitstring, int(entry["statusListIndex"])) is True
    for index in expected["revokedIndices"]:
        assert bit(bitstring, index) is True
    assert bit(bitstring, expected["notRevokedIndex"]) is False
    assert sum(bin(byte).count("1") for byte in bitstring) == len(expected["revokedIndices"])


# --- The comprehensive learner record ----------------------------------------------------------------------------


def test_the_clr_bundles_both_credentials_each_with_its_own_signature(token, jwks):
    clr = verify(token("clr.jwt"), jwks)
    verify_with_cryptography(token("clr.jwt"), jwks)
    assert clr["@context"][0] == VC_CONTEXT
    assert CLR_CONTEXT in clr["@context"]
    assert "ClrCredential" in clr["type"]
    assert clr["jti"] == clr["id"] and clr["iss"] == clr["issuer"]["id"]
    subject = clr["credentialSubject"]
    assert "ClrSubject" in subject["type"]
    bundled = subject["verifiableCredential"]
    assert len(bundled) == 2
    signed = [verify(token(name), jwks) for name in ("old-credential.jwt", "credential.jwt")]
    for inner, original, name in zip(bundled, signed, ("old-credential.jwt", "credential.jwt")):
        assert "OpenBadgeCredential" in inner["type"]
        for claim in ("iss", "jti", "nbf"):
            assert claim not in inner
        proofs = [proof for proof in inner["proof"] if proof["type"] == "JwtProof2020"]
        assert len(proofs) == 1
        # The nested token is the credential as issued, and verifies on its own.
        assert proofs[0]["jwt"] == token(name)
        assert verify(proofs[0]["jwt"], jwks) == original
        document = {k: v for k, v in inner.items() if k != "proof"}
        assert document == {k: v for k, v in original.items() if k not in REGISTERED_CLAIMS}
