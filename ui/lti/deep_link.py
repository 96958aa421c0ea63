"""Deep linking: an instructor picks "Ask the Experts" for a page or module; the tool answers with a
JWT it signs with its own key (the platform checks it against /lti/jwks) naming one LTI resource link.
"""

from __future__ import annotations

import html
import secrets
import time
from typing import Any

from ui.lti.keys import ToolKey
from ui.lti.launch import CLAIM, Launch

DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
RESPONSE_LIFETIME_S = 300


def pending_request(launch: Launch) -> dict[str, Any]:
    """What the picker form carries (signed) from the deep-linking launch to the response."""
    settings = launch.deep_linking
    return {
        "i": launch.platform.issuer,
        "c": launch.platform.client_id,
        "d": launch.deployment,
        "r": settings["deep_link_return_url"],
        "x": settings.get("data"),
    }


def response_jwt(key: ToolKey, pending: dict[str, Any], *, launch_url: str, title: str) -> str:
    """The LtiDeepLinkingResponse: one resource link back to this tool's launch URL."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": pending["c"],
        "aud": pending["i"],
        "iat": now,
        "exp": now + RESPONSE_LIFETIME_S,
        "nonce": secrets.token_urlsafe(16),
        CLAIM + "deployment_id": pending["d"],
        CLAIM + "message_type": "LtiDeepLinkingResponse",
        CLAIM + "version": "1.3.0",
        DL + "content_items": [
            {"type": "ltiResourceLink", "title": title, "url": launch_url, "window": {"targetName": "_self"}}
        ],
    }
    if pending.get("x") is not None:
        claims[DL + "data"] = pending["x"]
    return key.sign(claims)


def return_form(return_url: str, token: str) -> str:
    """A page that posts the response JWT back to the platform (a button if scripts are off)."""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Adding the tool…</title></head>'
        f'<body><form id="dl" method="post" action="{html.escape(return_url, quote=True)}">'
        f'<input type="hidden" name="JWT" value="{html.escape(token, quote=True)}">'
        '<button type="submit">Return to the course</button></form>'
        "<script>document.getElementById('dl').submit()</script></body></html>"
    )
