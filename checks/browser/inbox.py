"""The recipients' inbox during browser tests.

The server runs with BMET_MAIL_DIR, so every e-mail it sends lands as a file there (FileMailSender).
Secret links (invitations, password resets) are hidden in the Outbox page, as they must be: tests read
them where a real person would, in the recipient's mail.
"""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

MAIL_DIR = Path(os.environ.get("BMET_BROWSER_MAIL_DIR", "/nonexistent"))


def mailed_link(recipient: str, path: str = "invitations", timeout: float = 30.0) -> str:
    """The newest `/{path}/<token>` link mailed to `recipient`, waiting for the outbox dispatcher to send it."""
    deadline = time.monotonic() + timeout
    pattern = re.compile(r"https?://[^\s]+/" + re.escape(path) + r"/[A-Za-z0-9_\-]+")
    while time.monotonic() < deadline:
        if MAIL_DIR.is_dir():
            for file in sorted(MAIL_DIR.iterdir(), reverse=True):
                text = file.read_text(encoding="utf-8")
                headers = text.split("\n\n", 1)[0]
                if re.search(r"^To: " + re.escape(recipient) + r"$", headers, re.MULTILINE | re.IGNORECASE):
                    match = pattern.search(text)
                    if match:
                        return match.group(0)
        time.sleep(0.5)
    raise AssertionError(f"no /{path}/ link was mailed to {recipient} within {timeout:.0f} s (mail folder: {MAIL_DIR})")
