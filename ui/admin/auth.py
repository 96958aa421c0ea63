"""Who may open the instructor page: the bearer token, the signed sign-in cookie, or an LTI launch."""

from __future__ import annotations

import hmac

from fastapi import Request
from fastapi.responses import Response

from ui.sessions import Session, Sessions

COOKIE = "atx_admin"


def authorized(request: Request, token: str) -> bool:
    """The request carries the admin token as a bearer token."""
    header = request.headers.get("authorization", "")
    given = header[7:].strip() if header.lower().startswith("bearer ") else ""
    return bool(given) and hmac.compare_digest(given.encode(), token.encode())


def same_token(given: str, token: str) -> bool:
    return hmac.compare_digest(given.encode(), token.encode())


def base_path(request: Request) -> str:
    """The URL prefix the admin routes are mounted under ('' for the default course)."""
    return str(request.scope.get("root_path", "")).rstrip("/")


class InstructorSessions:
    """One course's instructor sessions: read from a launch (`?s=`) or the cookie, set as a cookie."""

    def __init__(self, sessions: Sessions, course: str | None) -> None:
        self.sessions = sessions
        self.course = course
        self.cookie = COOKIE if course is None else f"{COOKIE}_{course}"

    def present(self, request: Request) -> bool:
        """An instructor session of this course: from an LTI launch (`?s=`) or the sign-in cookie."""
        for value in (request.query_params.get("s"), request.cookies.get(self.cookie)):
            session = self.sessions.read(value)
            if session is not None and session.role == "instructor" and session.course == self.course:
                return True
        return False

    def set(self, response: Response, request: Request) -> Response:
        """The signed, expiring instructor session as a cookie of this course's pages."""
        response.set_cookie(
            self.cookie,
            self.sessions.sign(Session(self.course, "instructor")),
            max_age=int(self.sessions.max_age_s),
            httponly=True,
            samesite="lax",
            path=base_path(request) + "/",
        )
        return response
