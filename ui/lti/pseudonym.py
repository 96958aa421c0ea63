"""A student's pseudonym: HMAC-SHA256 of the platform's issuer, the user's `sub` and the course,
keyed with the server's secret. Stable for one student in one course, unlinkable across courses and
useless without the secret; names and e-mail addresses in a launch are never read (docs/privacy.md).
"""

from __future__ import annotations

import hashlib
import hmac


def pseudonym(secret: bytes, issuer: str, sub: str, course: str | None) -> str:
    message = "\x1f".join((issuer, sub, course or "default")).encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]
