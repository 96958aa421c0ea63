"""The LTI 1.3 tool: Canvas, Moodle and Brightspace launch the assistant inside a course.

One job per module:
  platforms.py   the registered platforms (issuer, client id, URLs, deployment -> course), kept under home
  keys.py        the tool's own RSA key (its public key set is /lti/jwks) and the platforms' key sets
  nonces.py      one-time nonces: a launch's id_token is accepted once
  roles.py       which role claims count as staff (instructor, teaching assistant, ...)
  pseudonym.py   a student's pseudonym: a keyed hash of the platform's `sub` and the course
  launch.py      OIDC login initiation and the id_token checks (signature, iss, aud, nonce, exp, deployment)
  deep_link.py   the deep-linking response: a signed JWT the platform stores as a link to the tool
  registration.py  Dynamic Registration: the tool registers itself with an LMS (a signed link per course)
  routes.py      the FastAPI routes /lti/login, /lti/launch, /lti/jwks, /lti/deep-link, /lti/register
  commands.py    `expert-chat lti add-platform` and `expert-chat lti info`
Login state needs no cookie: it is a signed value carrying the nonce (docs/lms.md).
"""
