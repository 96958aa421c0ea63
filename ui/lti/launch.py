"""OIDC login initiation and the launch's id_token checks.

Login: the platform names itself (iss, client_id) and the user (login_hint); the tool answers with a
redirect to the platform's auth URL carrying a fresh nonce and a `state` that is the nonce signed by
the tool, so no cookie is needed to remember it. Launch: the id_token must be signed by a key from the
platform's key set, name this tool as audience, carry the state's nonce (used once), not be expired,
come from a registered deployment and carry a role claim.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import jwt
from itsdangerous import BadSignature

from ui.lti.keys import KeySetError, PlatformKeys
from ui.lti.nonces import NonceStore
from ui.lti.platforms import Platform, PlatformRegistry
from ui.lti.roles import ROLES_CLAIM, is_staff
from ui.sessions import Sessions

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
DEEP_LINKING = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"
STATE_MAX_AGE_S = 600.0
MAX_TOKEN_CHARS = 60_000


class LaunchError(Exception):
    """A refused login or launch; the message is the one line the error page shows."""


@dataclass(frozen=True)
class Launch:
    """What the tool keeps of a verified launch: no name, no e-mail."""

    platform: Platform
    deployment: str
    course: str | None
    message_type: str
    roles: tuple[str, ...]
    sub: str | None
    context_id: str | None
    deep_linking: dict[str, Any] = field(default_factory=dict)

    @property
    def staff(self) -> bool:
        return is_staff(self.roles)


class LaunchVerifier:
    """Login initiation and launch checks for the registered platforms."""

    def __init__(
        self,
        platforms: PlatformRegistry,
        keys: PlatformKeys,
        nonces: NonceStore,
        states: Sessions,
        *,
        launch_url: str,
        leeway_s: int = 60,
    ) -> None:
        self.platforms = platforms
        self.keys = keys
        self.nonces = nonces
        self.states = states
        self.launch_url = launch_url
        self.leeway_s = leeway_s

    def login_redirect(self, params: dict[str, str]) -> str:
        """The platform's auth URL to redirect the browser to, from the login initiation's parameters."""
        issuer, hint = params.get("iss"), params.get("login_hint")
        if not issuer or not hint:
            raise LaunchError("the login request needs iss and login_hint (start the tool from the course)")
        platform = self.platforms.find(issuer, params.get("client_id") or None)
        if platform is None:
            raise LaunchError(f"unknown platform {issuer!r}: register it with `expert-chat lti add-platform`")
        nonce = secrets.token_urlsafe(24)
        state = self.states.dumps({"n": nonce, "i": platform.issuer, "c": platform.client_id})
        query = {
            "scope": "openid",
            "response_type": "id_token",
            "response_mode": "form_post",
            "prompt": "none",
            "client_id": platform.client_id,
            "redirect_uri": self.launch_url,
            "login_hint": hint,
            "state": state,
            "nonce": nonce,
        }
        if params.get("lti_message_hint"):
            query["lti_message_hint"] = params["lti_message_hint"]
        sep = "&" if "?" in platform.auth_url else "?"
        return platform.auth_url + sep + urlencode(query)

    def _state(self, state: str) -> dict[str, Any]:
        try:
            data = self.states.loads(state, STATE_MAX_AGE_S)
        except BadSignature as exc:
            raise LaunchError("the launch state is missing, expired or forged: open the tool again") from exc
        return data if isinstance(data, dict) else {}

    def _platform(self, token: str) -> tuple[Platform, dict[str, Any]]:
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise LaunchError("the id_token is not a well-formed JWT") from exc
        if header.get("alg") != "RS256":
            raise LaunchError("the id_token must be signed with RS256")
        aud = unverified.get("aud")
        client_id = unverified.get("azp") or (aud if isinstance(aud, str) else None)
        # An unknown audience still finds the issuer's one registration: the aud check then says so.
        platform = self.platforms.find(unverified.get("iss"), client_id) or self.platforms.find(
            unverified.get("iss")
        )
        if platform is None:
            raise LaunchError(f"unknown platform or client id: {unverified.get('iss')!r}, {client_id!r}")
        return platform, header

    def _claims(self, token: str, platform: Platform, header: dict[str, Any]) -> dict[str, Any]:
        try:
            key = self.keys.key(platform.keyset_url, header.get("kid"))
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=platform.client_id,
                issuer=platform.issuer,
                leeway=self.leeway_s,
                options={"require": ["exp", "iat", "iss", "aud", "nonce"]},
            )
        except KeySetError as exc:
            raise LaunchError(str(exc)) from exc
        except jwt.InvalidSignatureError as exc:
            raise LaunchError("the id_token's signature does not match the platform's key set") from exc
        except jwt.ExpiredSignatureError as exc:
            raise LaunchError("the id_token has expired: open the tool again") from exc
        except jwt.InvalidAudienceError as exc:
            raise LaunchError("the id_token is meant for another tool (aud is not this client id)") from exc
        except jwt.MissingRequiredClaimError as exc:
            raise LaunchError(f"the id_token has no {exc.claim} claim") from exc
        except jwt.PyJWTError as exc:
            raise LaunchError(f"the id_token is not valid: {exc}") from exc
        aud = claims["aud"]
        if isinstance(aud, list) and len(aud) > 1 and claims.get("azp") != platform.client_id:
            raise LaunchError("the id_token names several audiences but azp is not this tool's client id")
        return claims

    def verify(self, id_token: str | None, state: str | None) -> Launch:
        """The launch a form post carries, or LaunchError saying in one line why it is refused."""
        if not id_token or not state:
            raise LaunchError("the launch needs id_token and state (start the tool from the course)")
        if len(id_token) > MAX_TOKEN_CHARS:
            raise LaunchError("the id_token is too large")
        login = self._state(state)
        platform, header = self._platform(id_token)
        if (login.get("i"), login.get("c")) != (platform.issuer, platform.client_id):
            raise LaunchError("the id_token comes from another platform than the login")
        claims = self._claims(id_token, platform, header)
        if claims["nonce"] != login.get("n"):
            raise LaunchError("the id_token's nonce is not the one this login sent")
        if not self.nonces.use(str(claims["nonce"])):
            raise LaunchError("this launch was already used (replayed nonce): open the tool again")
        return _launch(platform, claims)


def _launch(platform: Platform, claims: dict[str, Any]) -> Launch:
    deployment = str(claims.get(CLAIM + "deployment_id") or "")
    if deployment not in platform.deployments:
        raise LaunchError(
            f"unknown deployment {deployment!r}: register it with `expert-chat lti add-platform`"
        )
    if claims.get(CLAIM + "version") != "1.3.0":
        raise LaunchError("the launch is not LTI version 1.3.0")
    message_type = claims.get(CLAIM + "message_type")
    if message_type not in (RESOURCE_LINK_REQUEST, DEEP_LINKING_REQUEST):
        raise LaunchError(f"this tool does not handle {message_type!r} messages")
    roles = claims.get(ROLES_CLAIM)
    if not isinstance(roles, list) or not roles or not all(isinstance(r, str) for r in roles):
        raise LaunchError("the launch has no role claim: the tool cannot tell learner from instructor")
    deep_linking = claims.get(DEEP_LINKING) or {}
    if message_type == DEEP_LINKING_REQUEST and not (
        isinstance(deep_linking, dict) and deep_linking.get("deep_link_return_url")
    ):
        raise LaunchError("the deep-linking request has no deep_link_return_url")
    context = claims.get(CLAIM + "context") or {}
    return Launch(
        platform=platform,
        deployment=deployment,
        course=platform.course_of(deployment),
        message_type=str(message_type),
        roles=tuple(roles),
        sub=str(claims["sub"]) if claims.get("sub") else None,
        context_id=str(context.get("id")) if isinstance(context, dict) and context.get("id") else None,
        deep_linking=deep_linking if isinstance(deep_linking, dict) else {},
    )
