"""Users of the web app: add, list, disable (``reckon user ...`` and the admin's users page).

Passwords are hashed by Django (Argon2) and checked against its validators (at least ten
characters, not a common password, not all digits, not like the user name). Each change is
written to the audit log. Call :func:`reckon.web.setup` first.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from reckon.errors import WebError
from reckon.store import Casebook
from reckon.web import audit
from reckon.web.roles import ROLES


@dataclass(frozen=True)
class UserInfo:
    name: str
    role: str | None
    active: bool
    joined: str
    last_login: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _info(user: Any) -> UserInfo:
    role = next((g.name for g in user.groups.all() if g.name in ROLES), None)
    return UserInfo(
        user.username,
        role,
        bool(user.is_active),
        user.date_joined.strftime("%Y-%m-%dT%H:%M:%SZ"),
        user.last_login.strftime("%Y-%m-%dT%H:%M:%SZ") if user.last_login else None,
    )


def _check_role(role: str) -> str:
    role = role.strip().lower()
    if role not in ROLES:
        raise WebError(f"unknown role {role!r}", hint=f"use one of: {', '.join(ROLES)}")
    return role


def add_user(
    cb: Casebook,
    name: str,
    role: str,
    password: str,
    *,
    actor: str | None = None,
    address: str | None = None,
) -> UserInfo:
    """Create a user with one role; a weak password or a taken name is refused."""
    from django.contrib.auth import password_validation
    from django.contrib.auth.models import Group, User
    from django.core.exceptions import ValidationError
    from django.db import transaction

    role = _check_role(role)
    name = name.strip()
    if not name or len(name) > 150 or any(c.isspace() for c in name):
        raise WebError(
            f"user name {name!r} is not usable", hint="one word of at most 150 characters"
        )
    if User.objects.filter(username__iexact=name).exists():
        raise WebError(f"a user named {name!r} exists already", hint="pick another name")
    try:
        password_validation.validate_password(password, User(username=name))
    except ValidationError as exc:
        raise WebError(
            "password refused: " + " ".join(exc.messages),
            hint="use a long passphrase (10 characters or more)",
        ) from None
    with transaction.atomic():
        user = User.objects.create_user(name, password=password)
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    audit.record(cb, "user_add", actor=actor, target=name, detail={"role": role}, address=address)
    return _info(user)


def list_users(cb: Casebook | None = None) -> list[UserInfo]:
    from django.contrib.auth.models import User

    return [_info(u) for u in User.objects.order_by("username").prefetch_related("groups")]


def disable_user(
    cb: Casebook, name: str, *, actor: str | None = None, address: str | None = None
) -> UserInfo:
    """Disable a user: sign-in refused from now on, their open sessions end."""
    from django.contrib.auth.models import User
    from django.contrib.sessions.models import Session

    try:
        user = User.objects.get(username=name)
    except User.DoesNotExist:
        raise WebError(f"no user named {name!r}", hint="see `reckon user list`") from None
    user.is_active = False
    user.save(update_fields=["is_active"])
    for s in Session.objects.all():
        if str(s.get_decoded().get("_auth_user_id")) == str(user.pk):
            s.delete()
    audit.record(cb, "user_disable", actor=actor, target=name, address=address)
    return _info(user)
