"""Which servers stop serving Sora, and when: the records behind rule SOR006.

The lifecycle belongs to a server (a host), not to a contract: a gateway that follows the
official contract keeps running after OpenAI's own server is shut down. The dates are data
(``contracts.json`` for the shipped servers, ``[tool.sora-lint.profiles.NAME]`` for a user's
gateway); this module only reads them. It does no I/O: "today" is handed in.
"""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

TODAY_VARIABLE = "SORA_LINT_TODAY"
_SNAPSHOT = re.compile(r"^(?P<family>.+)-(?P<date>\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Dates:
    """When a shutdown was announced (``deprecated``) and when requests start failing (``shutdown``)."""

    deprecated: _dt.date | None = None
    shutdown: _dt.date | None = None


@dataclass(frozen=True)
class Server:
    """A server that answers Sora requests, and its lifecycle when one is known."""

    name: str  # how a message names it: "the official Sora API"
    hosts: tuple[str, ...]
    dates: Dates = Dates()
    models: tuple[str, ...] = ()  # the models its source names (shown by `sora-lint doctor`)
    source: str = ""  # what says so
    sdk_default: bool = False  # the server an openai client without base_url talks to
    clients: tuple[str, ...] = ()  # client classes that talk to it whatever their URL (AzureOpenAI)
    model_dates: Mapping[str, Dates] = field(default_factory=dict)  # a user profile's per-model dates

    def matches_host(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    def dates_for(self, model: object) -> Dates:
        """The dates that apply to a call of ``model`` (a name, or anything else when unknown)."""
        if isinstance(model, str) and self.model_dates:
            snapshot = _SNAPSHOT.match(model)
            for name in (model, snapshot.group("family") if snapshot else model):
                if name in self.model_dates:
                    return self.model_dates[name]
        return self.dates

    @property
    def has_dates(self) -> bool:
        return self.dates.shutdown is not None or any(d.shutdown for d in self.model_dates.values())


@dataclass(frozen=True)
class Notice:
    """What SOR006 says about one call: shut down already, or scheduled."""

    subject: str  # "the official Sora API", or "sora-2 on ..." for a per-model date
    shutdown: _dt.date
    days_left: int  # <= 0 once the server is shut down
    source: str

    @property
    def shut_down(self) -> bool:
        return self.days_left <= 0


def notice(server: Server, model: object, today: _dt.date) -> Notice | None:
    """SOR006's finding for a call of ``model`` to ``server`` on ``today``; None outside the window.

    The window opens on the deprecation date (or on the shutdown date when no deprecation
    was announced) and never closes.
    """
    dates = server.dates_for(model)
    if dates.shutdown is None:
        return None
    opens = dates.deprecated or dates.shutdown
    if today < opens:
        return None
    per_model = dates is not server.dates
    subject = f"{model} on {server.name}" if per_model else server.name
    return Notice(subject, dates.shutdown, (dates.shutdown - today).days, server.source)


def parse_date(value: object, what: str) -> _dt.date:
    """A ``YYYY-MM-DD`` string or a TOML date; ValueError naming ``what`` otherwise."""
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{what}: {value!r} is not a date (write it YYYY-MM-DD)")


def today(override: str | None, local_today: _dt.date) -> _dt.date:
    """The date SOR006 compares with: ``SORA_LINT_TODAY`` when set, else the local date."""
    if override is None or not override.strip():
        return local_today
    return parse_date(override, TODAY_VARIABLE)
