"""`sora-lint doctor` against fake `openai` packages built here (and with none): it reads, never calls."""
from __future__ import annotations

from pathlib import Path

MESSAGE = "The Sora API is scheduled to permanently shut down on September 24, 2026."
MODELS = '"sora-2", "sora-2-pro", "sora-2-2025-10-06", "sora-2-pro-2025-10-06", "sora-2-2025-12-08"'
SECONDS = '"4", "8", "12"'
SIZES = '"720x1280", "1280x720", "1024x1792", "1792x1024"'

LIFECYCLE = """
lifecycle (the shipped servers, then your profiles' own dates):
  the official Sora API (api.openai.com; the openai SDK's default server)
    deprecated 2026-03-24, shutdown 2026-09-24
    models: sora-2, sora-2-pro, sora-2-2025-10-06, sora-2-2025-12-08, sora-2-pro-2025-10-06
    source: openai SDK: "The Sora API is scheduled to permanently shut down on September 24, 2026."
  Azure OpenAI (openai.azure.com, cognitiveservices.azure.com, services.ai.azure.com)
    no shutdown date
    source: no date: Azure publishes retirement dates per deployment and public sources disagree (2026-07-15, \
2026-11-02); none is primary
"""

VIDEOS = '''\
from functools import cached_property


def deprecated(message):
    def mark(function):
        function.__deprecated__ = message  # what typing_extensions.deprecated sets
        return function
    return mark


class Videos:
{methods}
    @cached_property
    def with_raw_response(self):
        raise AssertionError("doctor ran a descriptor")


class AsyncVideos:
{methods}'''


def fake_openai(root: Path, models: str = MODELS, seconds: str = SECONDS, sizes: str = SIZES,
                message: str | None = MESSAGE, version: str = "3.57.0") -> Path:
    """An `openai` package shaped like the real one (openai/types/video_*.py, openai/resources/videos.py)."""
    package = root / "openai"
    (package / "types").mkdir(parents=True)
    (package / "resources").mkdir()
    (package / "__init__.py").write_text(f'__version__ = "{version}"\n', encoding="utf-8")
    (package / "types" / "__init__.py").write_text("", encoding="utf-8")
    (package / "resources" / "__init__.py").write_text("", encoding="utf-8")
    header = "from typing import Union\nfrom typing_extensions import Literal\n\n"
    (package / "types" / "video_model.py").write_text(header + f"VideoModel = "
                                                               f"Union[str, Literal[{models}]]\n", encoding="utf-8")
    (package / "types" / "video_seconds.py").write_text(header + f"VideoSeconds = "
                                                                 f"Literal[{seconds}]\n", encoding="utf-8")
    (package / "types" / "video_size.py").write_text(header + f"VideoSize = Literal[{sizes}]\n", encoding="utf-8")
    methods = ""
    for name in ("create", "retrieve", "remix"):
        marker = f"    @deprecated({message!r})\n" if message else ""
        methods += (
            f'{marker}    def {name}(self, *args, **kwargs):\n        raise AssertionError("doctor called {name}")\n\n'
        )
    (package / "resources" / "videos.py").write_text(VIDEOS.format(methods=methods), encoding="utf-8")
    return package


def test_without_an_openai_package(cli_process, tmp_path):
    # Whatever is installed, `import openai` finds this module first (the process runs in tmp_path,
    # which `python -m` puts first on the path) and fails as a missing package does.
    (tmp_path / "openai.py").write_text('raise ModuleNotFoundError("No module named \'openai\'", name="openai")\n',
                                        encoding="utf-8")
    proc = cli_process("doctor")
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == "openai SDK: not installed, so there is nothing to compare the catalog with\n" + LIFECYCLE


def test_an_sdk_that_agrees_with_the_catalog(cli_process, tmp_path):
    package = fake_openai(tmp_path)
    proc = cli_process("doctor")
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == (f"openai SDK 3.57.0 ({package / '__init__.py'})\n"
                           "the SDK agrees with sora-lint's catalog: models, seconds, "
                           "sizes and deprecations\n" + LIFECYCLE)


def test_an_sdk_that_moved_ahead_of_the_catalog(cli_process, tmp_path):
    package = fake_openai(tmp_path, models=MODELS + ', "sora-3"', seconds=SECONDS + ', "16"',
                          sizes=SIZES + ', "1920x1080"', message="The Sora API shuts down on October 1, 2026.",
                          version="4.0.0")
    proc = cli_process("doctor")
    assert (proc.returncode, proc.stderr) == (1, "")
    assert proc.stdout == (
        f"openai SDK 4.0.0 ({package / '__init__.py'})\n"
        "4 differences between the SDK and sora-lint's catalog:\n"
        "  - model sora-3: the SDK's VideoModel has it, profile openai does not\n"
        "  - seconds: the SDK's VideoSeconds is 4, 8, 12, 16; profile openai accepts 4, 8, 12\n"
        "  - sizes: the SDK's VideoSize is 720x1280, 1280x720, 1024x1792, 1792x1024, 1920x1080; "
        "profile openai accepts 1280x720, 720x1280, 1792x1024, 1024x1792\n"
        "  - deprecation: the SDK marks 6 Videos methods (Videos.create, Videos.retrieve, Videos.remix, "
        "AsyncVideos.create, AsyncVideos.retrieve, AsyncVideos.remix) deprecated "
        "('The Sora API shuts down on October 1, 2026.'); the catalog's source for the official Sora API says "
        'openai SDK: "The Sora API is scheduled to permanently shut down on September 24, 2026."\n' + LIFECYCLE)


def test_an_sdk_older_than_the_shutdown_notice(cli_process, tmp_path):
    fake_openai(tmp_path, message=None, version="3.0.0")
    proc = cli_process("doctor")
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[1:3] == [
        "the SDK agrees with sora-lint's catalog: models, seconds, sizes and deprecations",
        "note: this SDK marks no Videos method deprecated (it predates the shutdown notice)"]


def test_a_model_the_sdk_dropped(cli_process, tmp_path):
    fake_openai(tmp_path, models='"sora-2", "sora-2-2025-10-06"')
    proc = cli_process("doctor")
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[1:3] == [
        "1 difference between the SDK and sora-lint's catalog:",
        "  - model sora-2-pro: profile openai has it, the SDK's VideoModel does not"]


def test_user_profile_dates_are_listed(cli_process, tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.sora-lint]\n[tool.sora-lint.profiles.gw]\nextends = "openai"\nhosts = ["gw.example.com"]\n'
        'shutdown = "2027-03-31"\n[tool.sora-lint.profiles.gw.models.sora-2-pro]\nshutdown = "2027-02-28"\n',
        encoding="utf-8")
    proc = cli_process("doctor")
    assert proc.returncode == 0
    assert proc.stdout.endswith(LIFECYCLE + (
        "  the Sora API of profile gw (gw.example.com)\n"
        "    deprecated -, shutdown 2027-03-31\n"
        "    sora-2-pro: deprecated -, shutdown 2027-02-28\n"
        "    source: profile gw in pyproject.toml\n"))
