"""An LTI 1.3 platform simulator, in-process: it signs real id_tokens (RS256) with its own RSA key,
serves its key set through an httpx transport (no socket), drives the OIDC login and launch against
the tool, and checks the tool's deep-linking response against the tool's own key set.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from ui.lti.launch import CLAIM, DEEP_LINKING
from ui.lti.platforms import Platform, PlatformRegistry
from ui.lti.roles import INSTRUCTOR, LEARNER, TEACHING_ASSISTANT

__all__ = ["INSTRUCTOR", "LEARNER", "TEACHING_ASSISTANT", "LtiPlatform"]
ISSUER = "https://lms.example.edu"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class LtiPlatform:
    """One LMS: issuer, the client id it gave the tool, its key and deployments."""

    def __init__(self, client_id: str = "tool-client-1", issuer: str = ISSUER) -> None:
        self.issuer = issuer
        self.client_id = client_id
        self.key = new_key()
        self.kid = "platform-key-1"
        self.auth_url = f"{issuer}/auth"
        self.token_url = f"{issuer}/token"
        self.keyset_url = f"{issuer}/.well-known/jwks.json"
        self.keyset_requests = 0
        self.registration_token = "reg-token-1"
        self.registered_client_id = "dyn-client-9"
        self.registrations: list[dict[str, Any]] = []

    # -- what the platform serves ------------------------------------------
    def jwks(self) -> dict[str, Any]:
        public = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def openid_configuration(self) -> dict[str, Any]:
        """What the platform publishes for Dynamic Registration."""
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.auth_url,
            "token_endpoint": self.token_url,
            "jwks_uri": self.keyset_url,
            "registration_endpoint": f"{self.issuer}/register",
            "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                "product_family_code": "simulator"
            },
        }

    def _register(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("authorization") != f"Bearer {self.registration_token}":
            return httpx.Response(401, json={"error": "bad registration token"})
        self.registrations.append(json.loads(request.content))
        return httpx.Response(
            200,
            json={
                "client_id": self.registered_client_id,
                "https://purl.imsglobal.org/spec/lti-tool-configuration": {"deployment_id": "dyn-dep-1"},
            },
        )

    def _serve(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        if url == self.keyset_url:
            self.keyset_requests += 1
            return httpx.Response(200, json=self.jwks())
        if url == f"{self.issuer}/.well-known/openid-configuration":
            return httpx.Response(200, json=self.openid_configuration())
        if url == f"{self.issuer}/register" and request.method == "POST":
            return self._register(request)
        return httpx.Response(404, json={"error": "not found"})

    def http_client(self) -> httpx.Client:
        """The client the tool fetches key sets with: this platform answers on its URLs."""
        return httpx.Client(transport=httpx.MockTransport(self._serve))

    def register(self, home: Path, deployments: dict[str, str]) -> None:
        """What `expert-chat lti add-platform` stores."""
        PlatformRegistry.under(home).add(
            Platform(self.issuer, self.client_id, self.auth_url, self.token_url, self.keyset_url, deployments)
        )

    # -- what the platform sends --------------------------------------------
    def id_token(
        self,
        nonce: str,
        *,
        deployment: str,
        roles: list[str] | None,
        message_type: str = "LtiResourceLinkRequest",
        sub: str = "student-7",
        aud: str | list[str] | None = None,
        lifetime_s: int = 300,
        key: rsa.RSAPrivateKey | None = None,
        extra: dict[str, Any] | None = None,
    ) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": aud or self.client_id,
            "sub": sub,
            "iat": now - 5,
            "exp": now + lifetime_s,
            "nonce": nonce,
            "name": "Ada Student",
            "email": "ada@example.edu",
            CLAIM + "deployment_id": deployment,
            CLAIM + "message_type": message_type,
            CLAIM + "version": "1.3.0",
            CLAIM + "context": {"id": f"context-{deployment}", "title": "Deep Learning 101"},
            CLAIM + "resource_link": {"id": "link-1"},
            CLAIM + "target_link_uri": "http://testserver/lti/launch",
        }
        if roles is not None:
            claims[CLAIM + "roles"] = roles
        if message_type == "LtiDeepLinkingRequest":
            claims[DEEP_LINKING] = {
                "deep_link_return_url": f"{self.issuer}/deep_links/return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "data": "opaque-platform-data",
            }
        claims.update(extra or {})
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": self.kid})

    def login(self, tool: Any) -> tuple[str, str]:
        """OIDC login initiation against the tool; returns (state, nonce) from its redirect."""
        response = tool.get(
            "/lti/login",
            params={
                "iss": self.issuer,
                "login_hint": "user-hint-1",
                "target_link_uri": "http://testserver/lti/launch",
                "lti_message_hint": "msg-1",
                "client_id": self.client_id,
            },
            follow_redirects=False,
        )
        assert response.status_code == 302, response.text
        location = urlparse(response.headers["location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == self.auth_url
        query = {k: v[0] for k, v in parse_qs(location.query).items()}
        assert query["client_id"] == self.client_id and query["response_mode"] == "form_post"
        assert query["redirect_uri"].endswith("/lti/launch") and query["lti_message_hint"] == "msg-1"
        return query["state"], query["nonce"]

    def launch(self, tool: Any, **token: Any) -> Any:
        """A full launch: login initiation, then the id_token posted to the tool's launch URL."""
        state, nonce = self.login(tool)
        return self.post_launch(tool, self.id_token(nonce, **token), state)

    @staticmethod
    def post_launch(tool: Any, id_token: str, state: str) -> Any:
        return tool.post("/lti/launch", data={"id_token": id_token, "state": state}, follow_redirects=False)

    def accept_deep_link(self, jwt_value: str, tool_jwks: dict[str, Any]) -> dict[str, Any]:
        """Check the tool's LtiDeepLinkingResponse as a platform does: the tool's key, aud = us."""
        kid = jwt.get_unverified_header(jwt_value)["kid"]
        jwk = next(k for k in tool_jwks["keys"] if k["kid"] == kid)
        claims: dict[str, Any] = jwt.decode(
            jwt_value, RSAAlgorithm.from_jwk(jwk), algorithms=["RS256"], audience=self.issuer
        )
        assert claims["iss"] == self.client_id
        return claims


def random_sub() -> str:
    return uuid.uuid4().hex


def lms_app(platform: LtiPlatform, tool_url: str, deployment: str) -> Any:
    """The platform as a small web app, for the browser test: a course page framing the tool
    (`/course`, `?role=instructor` for an instructor's view), the OIDC auth endpoint that answers with
    the signed launch (`/auth`), its key set, and
    `/probe`, which tries to set a cookie (framed from another site, it shows whether the browser blocks
    third-party cookies)."""
    from html import escape
    from urllib.parse import urlencode

    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse
    from starlette.routing import Route

    def course(request: Request) -> HTMLResponse:
        login = (
            tool_url
            + "/lti/login?"
            + urlencode(
                {
                    "iss": platform.issuer,
                    "login_hint": "u-1",
                    "client_id": platform.client_id,
                    "target_link_uri": tool_url + "/lti/launch",
                    "lti_message_hint": str(request.query_params.get("role", "learner")),
                }
            )
        )
        probe = str(request.query_params.get("probe", ""))
        return HTMLResponse(
            "<!doctype html><html><body><h1>Deep Learning 101</h1>"
            f'<iframe id="tool" src="{escape(login)}" width="900" height="700"></iframe>'
            f'<iframe id="probe" src="{escape(probe)}" width="10" height="10"></iframe></body></html>'
        )

    def auth(request: Request) -> HTMLResponse:
        q = request.query_params
        roles = [INSTRUCTOR if q.get("lti_message_hint") == "instructor" else LEARNER]
        token = platform.id_token(q["nonce"], deployment=deployment, roles=roles)
        return HTMLResponse(
            f'<!doctype html><html><body><form id="f" method="post" action="{escape(q["redirect_uri"])}">'
            f'<input type="hidden" name="id_token" value="{escape(token)}">'
            f'<input type="hidden" name="state" value="{escape(q["state"])}"></form>'
            "<script>document.getElementById('f').submit()</script></body></html>"
        )

    def jwks(request: Request) -> JSONResponse:
        return JSONResponse(platform.jwks())

    def probe(request: Request) -> HTMLResponse:
        response = HTMLResponse("probe")
        response.set_cookie("probe", "1", samesite="none", secure=True)
        response.set_cookie("probe_lax", "1")
        return response

    return Starlette(
        routes=[
            Route("/course", course),
            Route("/auth", auth),
            Route("/.well-known/jwks.json", jwks),
            Route("/probe", probe),
        ]
    )
