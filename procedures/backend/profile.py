"""The user profile: the name shown in the Manager and the avatar shown instead of initials.

Names are trimmed and limited so they fit every place they are displayed; an avatar is
checked as a real picture of at least 210 pixels a side (see `images`), and only its
measurements are stored.
"""

from __future__ import annotations

from datetime import datetime

from procedures.backend import validation
from procedures.backend.images import inspect_avatar
from procedures.backend.operation import BackendBase, operation
from procedures.backend.records import UserRecord, View

MAX_NAME_LENGTH = 64


class Avatar(View):
    """The measurements of the profile picture (the picture itself is not kept)."""

    format: str
    width: int
    height: int
    size_bytes: int
    sha256: str


class Profile(View):
    """The user profile as shown under Manage my profile."""

    name: str
    """The account name."""
    first_name: str
    last_name: str
    full_name: str
    initials: str
    """Shown in the top-right circle while there is no avatar."""
    email: str
    avatar: Avatar | None
    password_changed_at: datetime


def profile_of(user: UserRecord) -> Profile:
    avatar = Avatar(**user.avatar.model_dump()) if user.avatar else None
    return Profile(name=user.name, first_name=user.first_name, last_name=user.last_name,
                   full_name=user.full_name,
                   initials=(user.first_name[:1] + user.last_name[:1]).upper(),
                   email=user.email, avatar=avatar,
                   password_changed_at=user.password_changed_at)


class ProfileOperations(BackendBase):
    """Operations of the profile-edit-name-avatar guide."""

    @operation
    def get_profile(self, acct: str) -> Profile:
        with self._transaction() as tx:
            return profile_of(tx.user(acct))

    @operation
    def update_name(self, acct: str, first_name: str, last_name: str) -> Profile:
        """Change the first and last name shown in the Manager."""
        first = validation.text("first_name", first_name, label="first name",
                                max_length=MAX_NAME_LENGTH)
        last = validation.text("last_name", last_name, label="last name",
                               max_length=MAX_NAME_LENGTH)
        with self._transaction() as tx:
            user = tx.user(acct)
            user.first_name, user.last_name = first, last
            tx.save(user)
            return profile_of(user)

    @operation
    def set_avatar(self, acct: str, image_bytes: bytes) -> Profile:
        """Use a PNG, JPEG, GIF or WebP picture (at most 5 MB, at least 210×210) as avatar."""
        record = inspect_avatar(image_bytes)
        with self._transaction() as tx:
            user = tx.user(acct)
            user.avatar = record
            tx.save(user)
            return profile_of(user)
