"""The four roles and what each may do.

A user has exactly one role, kept as membership of the Django group of that name.

========  ==================================================================================
viewer    reads people, sources, search, estimates, claims and the report; never contacts
reviewer  viewer + decides pairs, splits and merges people
intake    viewer + enters and moderates families' reports and sees the relatives' contacts
admin     everything: users, the audit log, disagreements between reviewers
========  ==================================================================================
"""

from __future__ import annotations

from typing import Any

ROLES: tuple[str, ...] = ("admin", "reviewer", "intake", "viewer")

READ = "read"
DECIDE = "decide"
INTAKE = "intake"
CONTACTS = "contacts"
ADMIN = "admin"

CAPABILITIES: dict[str, frozenset[str]] = {
    "viewer": frozenset({READ}),
    "reviewer": frozenset({READ, DECIDE}),
    "intake": frozenset({READ, INTAKE, CONTACTS}),
    "admin": frozenset({READ, DECIDE, INTAKE, CONTACTS, ADMIN}),
}


def role_of(user: Any) -> str | None:
    """The role of a signed-in Django user (None for anonymous or a user without one)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    cached = getattr(user, "_reckon_role", "")
    if cached != "":
        return cached
    names = {g.name for g in user.groups.all()}
    role = next((r for r in ROLES if r in names), None)
    user._reckon_role = role
    return role


def can(user: Any, capability: str) -> bool:
    role = role_of(user)
    return role is not None and capability in CAPABILITIES[role]
