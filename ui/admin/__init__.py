"""The instructor page `/admin` and `GET /api/admin/questions`, behind `ui.admin_token`.

Unset token: every admin route is 404, unless an LTI launch of an instructor or teaching assistant
opened it (`ui/lti/`). Otherwise a request needs the token as `Authorization: Bearer <token>`, or the
signed, expiring session cookie the login form sets (never the token itself; `ui/sessions.py`). Under a
many-course server the page of course X lives at /course/X/admin and shows only that course's log.

One job per module: `auth.py` (who may see it), `analytics.py` (the report of a period), `export.py`
(CSV and JSON), `pages.py` with `templates/` (the HTML, rendered by Jinja2 with autoescaping), and
`routes.py` (the HTTP routes).
"""

from ui.admin.routes import admin_router

__all__ = ["admin_router"]
