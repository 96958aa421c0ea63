"""`expert-chat lti add-platform` (register a platform, kept under home) and `expert-chat lti info`
(the values to paste into Canvas, Moodle and Brightspace).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from assistant.settings import Settings
from ui.lti.keys import ToolKey
from ui.lti.platforms import DEFAULT_COURSE, Platform, PlatformRegistry
from ui.lti.registration import registration_url


def lti_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="lti_command", required=True, metavar="LTI_COMMAND")
    add = sub.add_parser(
        "add-platform",
        help="register an LMS (issuer, client id, its URLs) and a deployment's course",
        description="Register an LTI 1.3 platform (Canvas, Moodle, Brightspace, ...): kept in "
        "<home>/lti/platforms.json. Run again with another --deployment to add one.",
    )
    add.add_argument(
        "--issuer", required=True, help="the platform's issuer (iss), e.g. https://canvas.instructure.com"
    )
    add.add_argument("--client-id", required=True, help="the client id the platform gave this tool")
    add.add_argument("--auth-url", required=True, help="the platform's OIDC authorization endpoint")
    add.add_argument("--token-url", required=True, help="the platform's OAuth2 token endpoint")
    add.add_argument("--keyset-url", required=True, help="the platform's public key set (JWKS) URL")
    add.add_argument("--deployment", required=True, help="the deployment id the platform shows")
    add.add_argument(
        "--course",
        default=DEFAULT_COURSE,
        help=f"the course this deployment opens (built with `build --course`; default: {DEFAULT_COURSE})",
    )
    info = sub.add_parser("info", help="print the URLs and key to paste into the LMS")
    info.add_argument("--json", action="store_true", help="print JSON")


def tool_url(settings: Settings) -> str:
    """This server's public URL as the LMS reaches it (lti.tool_url, else host and port)."""
    return (settings.lti.tool_url or f"http://{settings.ui.host}:{settings.ui.port}").rstrip("/")


def tool_values(settings: Settings) -> dict[str, Any]:
    """What an LMS asks for when a tool is added: its URLs and its public key."""
    base = tool_url(settings)
    return {
        "title": settings.ui.title,
        "target_link_uri": f"{base}/lti/launch",
        "redirect_uris": [f"{base}/lti/launch"],
        "openid_connect_initiation_url": f"{base}/lti/login",
        "public_jwk_url": f"{base}/lti/jwks",
        "public_jwk": ToolKey.under(settings.home).public_jwk,
        "deep_linking_url": f"{base}/lti/launch",
        "dynamic_registration_urls": {
            course: registration_url(settings, base, course)
            for course in [DEFAULT_COURSE, *settings.course_ids()]
        },
        "platforms": [
            {"issuer": p.issuer, "client_id": p.client_id, "deployments": p.deployments}
            for p in PlatformRegistry.under(settings.home).all()
        ],
    }


def _print_info(values: dict[str, Any]) -> None:
    print(f"Tool: {values['title']}")
    print(f"  Login (OIDC initiation) URL: {values['openid_connect_initiation_url']}")
    print(f"  Launch / redirect / target link URI: {values['target_link_uri']}")
    print(f"  Public key set (JWKS) URL: {values['public_jwk_url']}")
    print(f"  Deep linking URL: {values['deep_linking_url']}")
    print("Canvas (Developer Keys > + LTI Key): Redirect URIs and Target Link URI = launch URL; OpenID")
    print("  Connect Initiation Url = login URL; JWK Method 'Public JWK URL' = key set URL; placements")
    print("  'Course Navigation' and 'Link Selection' (deep linking).")
    print("Moodle (Site administration > Plugins > Manage tools > configure a tool manually): LTI 1.3;")
    print("  Public key type 'Keyset URL'; Initiate login URL; Redirection URI(s); Tool URL = launch URL;")
    print("  tick 'Supports Deep Linking' with the same launch URL.")
    print("Brightspace (Manage Extensibility > LTI Advantage > Register Tool): Domain, Redirect URLs,")
    print("  OpenID Connect Login URL, Target Link URI, Keyset URL as above; extensions 'Deep Linking'.")
    print(
        "Dynamic Registration (Moodle 4.1+, Canvas, Brightspace: paste the URL of the course; valid 7 days):"
    )
    for course, url in values["dynamic_registration_urls"].items():
        print(f"  {course}: {url}")
    platforms = values["platforms"]
    print(f"Registered platforms: {len(platforms)}")
    for p in platforms:
        deployments = ", ".join(f"{d} -> {c}" for d, c in p["deployments"].items())
        print(f"  {p['issuer']} (client id {p['client_id']}): {deployments}")
    if values["target_link_uri"].startswith("http://"):
        print("Note: LMSs require https; set lti.tool_url (EXPERT_CHAT_LTI__TOOL_URL) to the public URL.")


def cmd_lti(args: argparse.Namespace, settings: Settings) -> int:
    if args.lti_command == "add-platform":
        platform = PlatformRegistry.under(settings.home).add(
            Platform(
                issuer=args.issuer,
                client_id=args.client_id,
                auth_url=args.auth_url,
                token_url=args.token_url,
                keyset_url=args.keyset_url,
                deployments={args.deployment: args.course},
            )
        )
        count = len(platform.deployments)
        print(f"registered {platform.issuer} (client id {platform.client_id}), {count} deployment(s)")
        return 0
    values = tool_values(settings)
    if args.json:
        print(json.dumps(values, indent=2))
    else:
        _print_info(values)
    return 0
