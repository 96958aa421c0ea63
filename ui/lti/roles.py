"""LTI role claims: which of them make a launch staff (the course's admin page) rather than a learner."""

from __future__ import annotations

from collections.abc import Iterable

ROLES_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/roles"
LIS = "http://purl.imsglobal.org/vocab/lis/v2/"
# Context roles (and their short forms) that may see the course's questions; TAs are sub-roles of
# Instructor ("membership/Instructor#TeachingAssistant"); institution administrators too.
STAFF = {"Instructor", "TeachingAssistant", "ContentDeveloper", "Administrator"}
INSTRUCTOR = LIS + "membership#Instructor"
TEACHING_ASSISTANT = LIS + "membership/Instructor#TeachingAssistant"
LEARNER = LIS + "membership#Learner"


def role_name(uri: str) -> str:
    """The role's last name: 'membership#Instructor' -> 'Instructor'; a short form stays as it is."""
    return uri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def is_staff(roles: Iterable[str]) -> bool:
    return any(role_name(r) in STAFF for r in roles if r.startswith(LIS) or "/" not in r)
