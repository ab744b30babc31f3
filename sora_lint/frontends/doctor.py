"""``sora-lint doctor``: does the shipped catalog still match the installed openai SDK?

The SDK types the official contract (``VideoModel``, ``VideoSeconds``, ``VideoSize``) and marks
the Videos methods deprecated; when a new SDK release moves ahead of sora-lint's catalog, this is
where a user learns it. Nothing of the SDK is called: the Literals are read from their type
objects, and the deprecation markers from the methods' ``__deprecated__`` attribute, which
``typing_extensions.deprecated`` sets.
"""
from __future__ import annotations

import importlib
import inspect
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Callable

from ..contracts.catalog import OPENAI, SHIPPED_SERVERS, Profile, sdk_default_server
from ..contracts.lifecycle import Dates, Server

LITERALS = {"VideoModel": "video_model", "VideoSeconds": "video_seconds", "VideoSize": "video_size"}
VIDEOS_CLASSES = ("Videos", "AsyncVideos")


@dataclass(frozen=True)
class SdkFacts:
    """What the installed openai package says about Sora."""

    version: str
    location: str
    models: tuple[str, ...]
    seconds: tuple[str, ...]
    sizes: tuple[str, ...]
    deprecations: Mapping[str, str]  # "Videos.create" -> its deprecation message


def literal_strings(annotation: object) -> tuple[str, ...]:
    """The string values of a ``Literal``, also inside a ``Union`` (``Union[str, Literal["sora-2"]]``)."""
    found: list[str] = []
    for arg in typing.get_args(annotation):
        if isinstance(arg, str):
            found.append(arg)
        elif typing.get_args(arg):
            found.extend(literal_strings(arg))
    return tuple(dict.fromkeys(found))


def read_sdk(import_module: Callable[[str], Any] = importlib.import_module) -> SdkFacts | None:
    """The installed openai SDK's Sora facts; None when there is no openai package."""
    try:
        openai = import_module("openai")
    except ImportError:
        return None
    values: dict[str, tuple[str, ...]] = {}
    for name, module in LITERALS.items():
        values[name] = literal_strings(_attribute(import_module, [f"openai.types.{module}", "openai.types"], name))
    deprecations: dict[str, str] = {}
    for class_name in VIDEOS_CLASSES:
        cls = _attribute(import_module, ["openai.resources.videos", "openai.resources"], class_name)
        if not inspect.isclass(cls):
            continue
        for attr, member in vars(cls).items():  # the class dict: no descriptor is run
            message = getattr(member, "__deprecated__", None)
            if not attr.startswith("_") and isinstance(message, str):
                deprecations[f"{class_name}.{attr}"] = message
    return SdkFacts(str(getattr(openai, "__version__", "unknown")), str(getattr(openai, "__file__", "")),
                    values["VideoModel"], values["VideoSeconds"], values["VideoSize"], deprecations)


def _attribute(import_module: Callable[[str], Any], modules: Sequence[str], name: str) -> object:
    for module_name in modules:
        try:
            module = import_module(module_name)
        except ImportError:
            continue
        if hasattr(module, name):
            return getattr(module, name)
    return None


def differences(sdk: SdkFacts, profile: Profile = OPENAI, server: Server | None = None) -> list[str]:
    """Each way the catalog's official contract and lifecycle differ from the SDK's."""
    server = server or sdk_default_server()
    found = [f"model {m}: the SDK's VideoModel has it, profile {profile.name} does not"
             for m in sdk.models if profile.model(m) is None]
    found += [f"model {m}: profile {profile.name} has it, the SDK's VideoModel does not"
              for m in profile.models if m not in sdk.models]
    seconds = sorted({s for spec in profile.models.values() for s in spec.seconds})
    if sdk.seconds and sorted(sdk.seconds, key=_as_int) != [str(s) for s in seconds]:
        found.append(f"seconds: the SDK's VideoSeconds is {', '.join(sorted(sdk.seconds, key=_as_int))}; "
                     f"profile {profile.name} accepts {', '.join(map(str, seconds))}")
    sizes = list(dict.fromkeys(s for spec in profile.models.values() for s in spec.sizes))
    if sdk.sizes and sorted(sdk.sizes) != sorted(sizes):
        found.append(f"sizes: the SDK's VideoSize is {', '.join(sdk.sizes)}; profile {profile.name} accepts "
                     f"{', '.join(sizes)}")
    by_message: dict[str, list[str]] = {}
    for method, message in sdk.deprecations.items():
        by_message.setdefault(message, []).append(method)
    for message, methods in by_message.items():
        if server.dates.shutdown is None:
            found.append(f"deprecation: the SDK marks {_methods(methods)} deprecated ({message!r}); "
                         f"the catalog carries no shutdown for {server.name}")
        elif message not in server.source:
            found.append(f"deprecation: the SDK marks {_methods(methods)} deprecated ({message!r}); "
                         f"the catalog's source for {server.name} says {server.source}")
    return found


def _methods(methods: list[str]) -> str:
    return methods[0] if len(methods) == 1 else f"{len(methods)} Videos methods ({', '.join(methods)})"


def _as_int(text: str) -> tuple[int, str]:
    return (int(text), text) if text.isdigit() else (1 << 30, text)


def lifecycle_table(servers: Sequence[Server]) -> list[str]:
    """One block per server: hosts, dates, the models its source names, and the source."""
    out: list[str] = []
    for server in servers:
        default = "; the openai SDK's default server" if server.sdk_default else ""
        out.append(f"  {server.name} ({', '.join(server.hosts) or 'no hosts'}{default})")
        out.append(f"    {_dates(server.dates)}")
        out += [f"    {model}: {_dates(dates)}" for model, dates in server.model_dates.items()]
        if server.models and not server.model_dates:
            out.append(f"    models: {', '.join(server.models)}")
        out.append(f"    source: {server.source or '-'}")
    return out


def _dates(dates: Dates) -> str:
    if dates.shutdown is None:
        return "no shutdown date"
    return f"deprecated {dates.deprecated or '-'}, shutdown {dates.shutdown}"


def report(sdk: SdkFacts | None, user_servers: Sequence[Server] = ()) -> tuple[int, str]:
    """The exit status (0 agree, 1 differ) and the text ``sora-lint doctor`` prints."""
    out: list[str] = []
    diffs: list[str] = []
    if sdk is None:
        out.append("openai SDK: not installed, so there is nothing to compare the catalog with")
    else:
        out.append(f"openai SDK {sdk.version} ({sdk.location})")
        diffs = differences(sdk)
        if diffs:
            out.append(f"{len(diffs)} difference{'s' if len(diffs) != 1 else ''} between the SDK and sora-lint's "
                       f"catalog:")
            out += [f"  - {d}" for d in diffs]
        else:
            out.append("the SDK agrees with sora-lint's catalog: models, seconds, sizes and deprecations")
        if not sdk.deprecations and sdk_default_server().dates.shutdown is not None:
            out.append("note: this SDK marks no Videos method deprecated (it predates the shutdown notice)")
    out += ["", "lifecycle (the shipped servers, then your profiles' own dates):"]
    out += lifecycle_table(list(SHIPPED_SERVERS) + list(user_servers))
    return (1 if diffs else 0), "\n".join(out)
