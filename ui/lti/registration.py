"""LTI Dynamic Registration: the LMS opens the tool's registration URL, the tool reads the platform's
OpenID configuration, registers itself at the platform's registration endpoint and stores the answer
(client id, deployment) like `expert-chat lti add-platform` would.

The registration URL carries a key signed by this server (`expert-chat lti info` prints it, valid for a
week), naming the course its launches will open: without it anyone could register a platform of their
own and launch into a course as its instructor.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import httpx

from assistant.errors import UserError
from ui.lti.launch import LaunchError
from ui.lti.platforms import Platform, PlatformRegistry
from ui.sessions import Sessions

REGISTER_KEY_MAX_AGE_S = 7 * 86_400
MAX_RESPONSE_BYTES = 100_000
TOOL_CONFIG = "https://purl.imsglobal.org/spec/lti-tool-configuration"
CLOSE_SCRIPT = "(window.opener || window.parent).postMessage({subject: 'org.imsglobal.lti.close'}, '*');"


def registration_keys(settings: Any) -> Sessions:
    """Signs and reads the key of a registration URL."""
    return Sessions.from_settings(settings, salt="lti-register")


def registration_url(settings: Any, tool_url: str, course: str) -> str:
    """The Dynamic Registration URL to paste into the LMS: its launches will open `course`."""
    return f"{tool_url}/lti/register?key={registration_keys(settings).dumps({'course': course})}"


def _json(response: httpx.Response, what: str) -> dict[str, Any]:
    if response.status_code >= 400 or len(response.content) > MAX_RESPONSE_BYTES:
        raise LaunchError(f"the platform's {what} answered {response.status_code}")
    try:
        data = response.json()
    except ValueError as exc:
        raise LaunchError(f"the platform's {what} is not JSON") from exc
    if not isinstance(data, dict):
        raise LaunchError(f"the platform's {what} is not a JSON object")
    return data


def _same_site(issuer: str, url: str) -> bool:
    return urlparse(issuer).netloc == urlparse(url).netloc


def tool_registration(tool_url: str, title: str) -> dict[str, Any]:
    """What the tool asks the platform to register (IMS Dynamic Registration 1.0)."""
    launch = f"{tool_url}/lti/launch"
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": f"{tool_url}/lti/login",
        "redirect_uris": [launch],
        "client_name": title,
        "jwks_uri": f"{tool_url}/lti/jwks",
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": "",
        TOOL_CONFIG: {
            "domain": urlparse(tool_url).netloc,
            "target_link_uri": launch,
            "claims": ["iss", "sub"],
            "messages": [{"type": "LtiDeepLinkingRequest", "target_link_uri": launch, "label": title}],
        },
    }


def register(
    client: httpx.Client,
    platforms: PlatformRegistry,
    *,
    openid_configuration: str,
    registration_token: str | None,
    course: str,
    tool_url: str,
    title: str,
) -> Platform:
    """Register this tool with the platform and remember the platform; LaunchError says what failed."""
    try:
        config = _json(client.get(openid_configuration), "OpenID configuration")
        issuer = str(config.get("issuer") or "")
        endpoint = str(config.get("registration_endpoint") or "")
        if not issuer or not _same_site(issuer, openid_configuration) or not _same_site(issuer, endpoint):
            raise LaunchError("the platform's OpenID configuration is not served from its issuer's host")
        headers = {"Authorization": f"Bearer {registration_token}"} if registration_token else {}
        answer = _json(
            client.post(endpoint, json=tool_registration(tool_url, title), headers=headers), "registration"
        )
    except httpx.HTTPError as exc:
        raise LaunchError("the platform could not be reached for the registration") from exc
    client_id = str(answer.get("client_id") or "")
    if not client_id:
        raise LaunchError("the platform's registration answer has no client_id")
    deployment = (answer.get(TOOL_CONFIG) or {}).get("deployment_id")
    try:
        return platforms.add(
            Platform(
                issuer=issuer,
                client_id=client_id,
                auth_url=str(config.get("authorization_endpoint") or ""),
                token_url=str(config.get("token_endpoint") or ""),
                keyset_url=str(config.get("jwks_uri") or ""),
                deployments={str(deployment): course} if deployment else {},
            )
        )
    except UserError as exc:  # from the registry: a URL that is not https, ...
        raise LaunchError(f"the platform's configuration was refused: {exc}") from exc
