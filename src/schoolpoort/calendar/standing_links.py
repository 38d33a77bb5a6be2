"""The agenda feed link dies with the sessions (accounts.standing_links): after "log out on all
devices" or a password change the old link answers 404, and Mijn agenda offers a new one."""

from .actions import revoke_feed_token


def revoke_standing_links(user) -> None:
    revoke_feed_token(user)
