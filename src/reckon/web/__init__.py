"""reckon.web: the team web app (``reckon serve``).

Review queue, people, sources, name search, families' intake, estimates and the audit log,
served from the casebook to a team with roles (admin, reviewer, intake, viewer). Security comes
from Django (sessions, CSRF, Argon2 password hashing, authentication); every write goes through
reckon's library functions and into the audit log. See docs/web.md.
"""

from __future__ import annotations

from reckon.web.config import configure, setup
from reckon.web.roles import CAPABILITIES, ROLES

__all__ = ["CAPABILITIES", "ROLES", "configure", "setup"]
