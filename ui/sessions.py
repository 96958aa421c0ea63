"""Signed, expiring session values: the instructor sign-in cookie and the sessions LTI launches open.

A value names a course, a role and, for a learner's launch, the student's pseudonym. itsdangerous signs
it with the server's secret (`<home>/secret.key`, made once with mode 0600), so a cookie never holds the
admin token itself, cannot be forged, and stops working after `lti.session_hours`.
"""

from __future__ import annotations

import os
import secrets
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, urlparse

from itsdangerous import BadSignature, URLSafeTimedSerializer

Role = Literal["instructor", "learner"]
SECRET_FILE = "secret.key"
# The pseudonym of the learner whose request is being handled (set by ui/site.py from the launch's
# session value; the questions log records it). None outside an LTI launch.
current_student: ContextVar[str | None] = ContextVar("current_student", default=None)


@dataclass(frozen=True)
class Session:
    """Who is asking, as far as this server needs to know: a course, a role, maybe a pseudonym."""

    course: str | None
    role: Role
    student: str | None = None


def server_secret(home: Path) -> bytes:
    """The server's signing secret, created on first use (every process of one home shares it)."""
    path = home / SECRET_FILE
    if not path.is_file():
        home.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip().encode()


class Sessions:
    """Signs and reads session values; `salt` keeps values of one purpose out of another."""

    def __init__(self, secret: bytes, max_age_s: float, salt: str = "atx-session") -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt=salt)
        self.max_age_s = max_age_s

    @classmethod
    def from_settings(cls, settings: Any, salt: str = "atx-session") -> Sessions:
        return cls(server_secret(settings.home), settings.lti.session_hours * 3600, salt)

    def sign(self, session: Session) -> str:
        return self._serializer.dumps({"c": session.course, "r": session.role, "s": session.student})

    def read(self, value: str | None) -> Session | None:
        """The session a value holds, or None if it is missing, forged, malformed or expired."""
        if not value or len(value) > 2000:
            return None
        try:
            data = self._serializer.loads(value, max_age=int(self.max_age_s))
        except BadSignature:  # also SignatureExpired
            return None
        if not isinstance(data, dict) or data.get("r") not in ("instructor", "learner"):
            return None
        return Session(course=data.get("c"), role=data["r"], student=data.get("s"))

    def dumps(self, data: Any) -> str:
        """Sign any JSON value (the LTI login state, a deep-linking request) with this salt."""
        return self._serializer.dumps(data)

    def loads(self, value: str, max_age_s: float | None = None) -> Any:
        """The value `dumps` signed; raises itsdangerous.BadSignature when forged or too old."""
        if len(value) > 8000:
            raise BadSignature("too long")
        return self._serializer.loads(value, max_age=int(max_age_s or self.max_age_s))


@lru_cache(maxsize=64)
def _sessions(home: Path, hours: float) -> Sessions:
    return Sessions(server_secret(home), hours * 3600)


def launched_student(request: Any, settings: Any) -> str | None:
    """The pseudonym of a learner whose chat page an LTI launch opened (its `?lti=` value, which the
    page's own requests carry in their Referer), if that launch was into this course."""
    headers = getattr(request, "headers", None) or {}
    query = parse_qs(urlparse(str(headers.get("referer", ""))).query)
    value = query.get("lti", [""])[0]
    if not value:
        return None
    session = _sessions(settings.home, settings.lti.session_hours).read(value)
    if session is None or session.role != "learner" or session.course != settings.course:
        return None
    return session.student
