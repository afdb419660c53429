"""Fixtures for the independent VC-JWT verifier: the files the Swift test PythonFixtureExport wrote.

scripts/test.sh runs `BMET_VC_FIXTURES=<dir> swift test --filter PythonFixtureExport` and then pytest with the same
variable. By hand:

    BMET_VC_FIXTURES=/tmp/vc swift test --filter PythonFixtureExport   # the library's and the web app's (app/)
    BMET_VC_FIXTURES=/tmp/vc .venv-credentials/bin/python -m pytest checks/credentials
"""

import json
import os
from pathlib import Path

import pytest

FILES = ["credential.jwt", "old-credential.jwt", "tampered.jwt", "statuslist.jwt", "clr.jwt", "jwks.json", "did.json", "expected.json"]


@pytest.fixture(scope="session")
def fixtures() -> Path:
    folder = os.environ.get("BMET_VC_FIXTURES")
    if not folder:
        pytest.fail("BMET_VC_FIXTURES is not set: see checks/credentials/conftest.py for how to write the fixtures.")
    path = Path(folder)
    missing = [name for name in FILES if not (path / name).is_file()]
    if missing:
        pytest.fail(f"{path} lacks {', '.join(missing)}: did the Swift test PythonFixtureExport run?")
    return path


@pytest.fixture(scope="session")
def jwks(fixtures: Path) -> dict:
    return json.loads((fixtures / "jwks.json").read_text())


@pytest.fixture(scope="session")
def expected(fixtures: Path) -> dict:
    return json.loads((fixtures / "expected.json").read_text())


@pytest.fixture(scope="session")
def token(fixtures: Path):
    """Reads one of the token files, stripped of surrounding whitespace."""
    return lambda name: (fixtures / name).read_text().strip()
