"""Which contract a file follows, and which server it talks to (no LibCST here).

Both come from a server: a call's own client when it is known (the engine asks per client),
else the first server the file names: the ``base_url`` of a client built in it, or the host of
a raw request's URL. The profile decides what SOR001-SOR005 check; the server
decides SOR006, because a shutdown belongs to a server, not to a contract.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .catalog import (
    AUTO,
    Profile,
    host_of,
    profile_for_base_url,
    sdk_default_server,
    server_for_client,
    server_for_host,
)
from .lifecycle import Server
from .settings import Settings


@dataclass(frozen=True)
class Choice:
    profile: Profile
    reason: str  # shown at the end of every message: "auto: client has no base_url"
    server: Server | None  # the server's catalog entry; None when it is not known statically
    server_inferred: bool = False  # the server is the SDK's default, because the client has no base_url


def choose(clients: Sequence[Any], settings: Settings) -> Choice:
    """The profile and server for a file, from its clients (``ClientInfo`` records, first one decides)."""
    profiles = settings.profiles
    ordered = list(settings.user_profiles.values()) + [
        p for n, p in profiles.items() if n not in settings.user_profiles
    ]
    client = clients[0] if clients else None
    pinned = profiles[settings.profile] if settings.profile != AUTO else None
    server, inferred = _server(client, pinned, ordered)
    if pinned is not None:
        return Choice(pinned, settings.profile_origin, server, inferred)
    profile, reason = _auto_profile(client, profiles[settings.fallback_profile], ordered)
    return Choice(profile, reason, server, inferred)


def _auto_profile(client: Any, fallback: Profile, ordered: list[Profile]) -> tuple[Profile, str]:
    default_profile = _profile_of(sdk_default_server(), ordered, fallback)
    if client is None:
        return default_profile, "auto: no client is built in this file"
    fixed = server_for_client(client.class_name)
    if fixed is not None:
        return _profile_of(fixed, ordered, fallback), f"auto: {fixed.name} client"
    if client.base_url is None and not client.sdk_default:
        # Portkey's default server is its own gateway: not a server whose contract sora-lint knows.
        return fallback, f"auto: {client.class_name} client has no base_url (its own gateway), using fallback-profile"
    if client.base_url is None:
        return default_profile, f"auto: {client.named} has no {client.steered_by}"
    if not isinstance(client.base_url, str):
        return fallback, f"auto: {client.steered_by} is not a literal, using fallback-profile"
    url = client.base_url
    chosen = profile_for_base_url(url, ordered)
    host = host_of(url) or url
    if chosen is not None:
        return chosen, f"auto: {client.steered_by} {host}"
    return fallback, f"auto: {client.steered_by} host {host} is unknown, using fallback-profile"


def _profile_of(server: Server, ordered: list[Profile], fallback: Profile) -> Profile:
    """The contract a shipped server follows: the first profile that lists one of its hosts."""
    return next((p for h in server.hosts for p in ordered if p.matches_host(h)), fallback)


def _server(client: Any, pinned: Profile | None, ordered: list[Profile]) -> tuple[Server | None, bool]:
    """The server the file talks to, and whether that was inferred from a missing base_url.

    A pinned profile says which server a client without a literal URL talks to: its own
    lifecycle entry when it declares one, else (for a missing base_url) its first host's.
    """
    if client is not None:
        fixed = server_for_client(client.class_name)
        if fixed is not None:
            return fixed, False
        if isinstance(client.base_url, str):
            return server_for_host(host_of(client.base_url), ordered), False
    if pinned is not None and pinned.server is not None:
        return pinned.server, False
    if client is None or client.base_url is not None or not client.sdk_default:
        return None, False  # no client here, a base_url that is not a literal, or a vendor's own gateway: not known
    if pinned is not None:
        return (server_for_host(pinned.hosts[0], ordered), True) if pinned.hosts else (None, False)
    return server_for_host(sdk_default_server().hosts[0], ordered), True
