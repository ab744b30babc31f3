"""Bugs a new user found running sora-lint on real apps: each case asserts exactly what a user sees.

1. A fix to a module-level binding must not break a valid call in another file that imports it.
2. A `.videos.create(...)` of another library (an ORM, a Vimeo client) is not a Sora call.
3. Each call follows its own client's server (profile and lifecycle); 4. Portkey's default is its own gateway.
"""
import textwrap
from pathlib import Path
from typing import Optional

import libcst as cst
import pytest
from conftest import lines

from sora_lint.analysis.find import find
from sora_lint.contracts.settings import Settings
from sora_lint.engine import apply_fixes, lint_source
from sora_lint.run.project_files import ProjectFiles

APIYI = " [profile apiyi: auto: base_url api.apiyi.com]"

CLIPS = textwrap.dedent('''\
    from openai import OpenAI

    client = OpenAI(base_url="https://api.apiyi.com/v1")

    TEASER = 10  # also imported by player.py


    def teaser(prompt):
        return client.videos.create(model="sora-2", prompt=prompt, seconds=TEASER)
''')
PLAYER = textwrap.dedent('''\
    import time

    from openai import OpenAI

    from clips import TEASER

    client = OpenAI(base_url="https://api.apiyi.com/v1")


    def pro_teaser(prompt):
        return client.videos.create(model="sora-2-pro", prompt=prompt, seconds=TEASER)


    def wait_for_teaser():
        time.sleep(TEASER)
''')
TEASER_MESSAGE = ("seconds=TEASER (= 10) is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
                  'use 8 or 12, or model="sora-2-pro"')


def write_project(root: Path, files: dict) -> None:
    (root / "pyproject.toml").write_text("[project]\nname = 'shared-demo'\nversion = '0'\n")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


class TestImportedBindingsAreNotFixed:
    def test_fix_leaves_a_constant_another_file_imports(self, cli, tmp_path):
        write_project(tmp_path, {"clips.py": CLIPS, "player.py": PLAYER})
        result = cli("fix", "--output-format", "concise", ".")
        assert result.returncode == 1, result.stdout + result.stderr
        assert lines(result.stdout)[0] == (
            f"clips.py:9:72: SOR001 {TEASER_MESSAGE} (not fixed automatically: TEASER may be imported by another "
            f"module "
            f"(player.py)){APIYI}")
        assert (tmp_path / "clips.py").read_text() == CLIPS
        assert (tmp_path / "player.py").read_text() == PLAYER
        # player.py's call stays valid: nothing is reported there.
        assert lines(cli("check", "--output-format", "concise", "player.py").stdout) == ["All checks passed!"]

    def test_a_cached_result_follows_the_importing_file(self, cli, tmp_path):
        write_project(tmp_path, {"clips.py": CLIPS, "player.py": PLAYER})
        blocked = (f"clips.py:9:72: SOR001 {TEASER_MESSAGE} (not fixed automatically: TEASER may be imported by "
                   f"another module (player.py)){APIYI}")
        assert lines(cli("check", "--output-format", "concise", "clips.py").stdout)[0] == blocked
        (tmp_path / "player.py").write_text(PLAYER.replace("from clips import TEASER\n", "TEASER = 10\n"))
        assert lines(cli("check", "--output-format", "concise", "clips.py").stdout)[0] == (
            f"clips.py:9:72: SOR001 [*] {TEASER_MESSAGE}{APIYI}")

    def test_the_importing_file_is_a_dependency(self, tmp_path):
        write_project(tmp_path, {"clips.py": CLIPS, "player.py": PLAYER, "other.py": "X = 1\n"})
        facts = find(cst.parse_module(CLIPS), str(tmp_path / "clips.py"), ProjectFiles())
        assert facts.dependencies == (str(tmp_path / "player.py"),)

    def test_a_package_module_imported_relatively_and_by_star(self, tmp_path):
        write_project(tmp_path, {
            "app/__init__.py": "from .clips import *  # the public names\n",
            "app/clips.py": CLIPS,
            "app/web/views.py": "from app import TEASER\n",
        })
        [diagnostic] = lint_source(CLIPS, str(tmp_path / "app" / "clips.py"), Settings(), files=ProjectFiles())
        assert (diagnostic.code, diagnostic.location.row, diagnostic.location.column) == ("SOR001", 9, 72)
        assert diagnostic.message == (f"{TEASER_MESSAGE} (not fixed automatically: TEASER may be imported by another "
                                      f"module (__init__.py)){APIYI}")
        assert apply_fixes(CLIPS, str(tmp_path / "app" / "clips.py"), Settings(), files=ProjectFiles()).source == CLIPS

    def test_a_dict_and_a_class_attribute_another_file_imports(self, tmp_path):
        source = textwrap.dedent('''\
            from openai import OpenAI
            PARAMS = {"model": "sora-2", "seconds": 10}
            class Preset:
                SECONDS = 10
            def go(client: OpenAI):
                client.videos.create(prompt="p", **PARAMS)
                client.videos.create(prompt="p", seconds=Preset.SECONDS)
        ''')
        write_project(tmp_path, {"jobs.py": source, "use.py": "from jobs import PARAMS, Preset\n"})
        jobs, apiyi = str(tmp_path / "jobs.py"), Settings(profile="apiyi")
        found = [d.message for d in lint_source(source, jobs, apiyi, files=ProjectFiles())]
        tag = " [profile apiyi: pinned]"
        assert [m.split(" (not fixed automatically: ")[1] for m in found] == [
            "PARAMS may be imported by another module (use.py))" + tag,
            "Preset may be imported by another module (use.py))" + tag,
        ]
        assert apply_fixes(source, jobs, apiyi, files=ProjectFiles()).source == source

    def test_each_file_is_read_once_and_only_when_a_fix_is_on_the_table(self, tmp_path, monkeypatch):
        from sora_lint.run import project_files

        files = ProjectFiles()
        write_project(tmp_path, {"clips.py": CLIPS, "player.py": PLAYER, "other.py": "X = 1\n"})
        opened = []
        real_open = open

        def counting_open(path, *args, **kwargs):
            opened.append(path)
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(project_files, "open", counting_open, raising=False)
        # A literal at the call: no module-level binding would be rewritten, so nothing is scanned.
        inline = CLIPS.replace("seconds=TEASER)", "seconds=10)")
        lint_source(inline, str(tmp_path / "clips.py"), Settings(), files=files)
        assert opened == []
        for _ in range(2):
            lint_source(CLIPS, str(tmp_path / "clips.py"), Settings(), files=files)
        # Every file of the listing once, clips.py too: its words go into the project's one import index.
        assert sorted(opened) == [str(tmp_path / n) for n in ("clips.py", "other.py", "player.py")]

    @pytest.mark.parametrize("other", [
        "TEASER = 4\n",  # the name, but not the module
        "import clips\nprint(clips.OTHER)\n",  # the module, but not the name
    ])
    def test_a_file_that_cannot_import_it_does_not_block(self, tmp_path, other):
        write_project(tmp_path, {"clips.py": CLIPS, "other.py": other})
        fixed = apply_fixes(CLIPS, str(tmp_path / "clips.py"), Settings(), files=ProjectFiles()).source
        assert fixed == CLIPS.replace("TEASER = 10  #", "TEASER = 12  #")
        assert find(cst.parse_module(CLIPS), str(tmp_path / "clips.py"), ProjectFiles()).dependencies == ()

    def test_a_binding_inside_a_function_is_not_importable(self, tmp_path):
        source = textwrap.dedent('''\
            from openai import OpenAI
            def go(client: OpenAI):
                TEASER = 10
                client.videos.create(model="sora-2", prompt="p", seconds=TEASER)
        ''')
        write_project(tmp_path, {"clips.py": source, "player.py": PLAYER})
        fixed = apply_fixes(source, str(tmp_path / "clips.py"), Settings(profile="apiyi"), files=ProjectFiles()).source
        assert fixed == source.replace("TEASER = 10", "TEASER = 12")


def diags(source: str, path: str = "t.py", settings: Optional[Settings] = None) -> list:
    return [f"{d.location.row}:{d.location.column} {d.code} {d.message}"
            for d in lint_source(textwrap.dedent(source), path, settings or Settings())]


def assert_untouched(source: str, settings: Optional[Settings] = None) -> None:
    source = textwrap.dedent(source)
    assert apply_fixes(source, "t.py", settings or Settings(), unsafe_fixes=True).source == source


class TestAnotherLibrarysVideosCreate:
    """2. An untraced ``.videos.create(...)`` with a keyword the SDK method lacks is not a Sora call."""

    @pytest.mark.parametrize("source", [
        # Django reverse managers (tester's repros/orm_min.py, orm_min2.py, django_app/studio/services.py)
        '''\
        from openai import OpenAI
        client = OpenAI()
        def save(project, job):
            return project.videos.create(openai_id=job.id, model="sora-2", seconds="8")
        ''',
        '''\
        import openai
        def save(project, job):
            return project.videos.create(openai_id=job.id, model="sora-2", seconds=12)
        ''',
        '''\
        from openai import OpenAI
        client = OpenAI(base_url="https://api.apiyi.com/v1")
        def store_pro(project, prompt, job_id):
            return project.videos.create(title="clip", prompt=prompt, model="sora-2", seconds=10, openai_id=job_id)
        def create_draft2(project, prompt):
            return project.videos.create(title="draft", prompt=prompt, model="sora2", seconds=30)
        ''',
        # a local client of another SDK shadows the module's OpenAI client (tester's shadowing.py)
        '''\
        from openai import OpenAI
        from vimeo import VimeoClient
        client = OpenAI(base_url="https://api.apiyi.com/v1")
        def upload_to_vimeo(path):
            client = VimeoClient(token="x")
            return client.videos.create(name="launch", size=12345, model="sora-2", seconds=10)
        ''',
        # the foreign keyword in a **mapping that can be read
        '''\
        import openai
        ROW = {"openai_id": "vid_1", "model": "sora-2", "seconds": 10}
        def save(project):
            return project.videos.create(**ROW)
        ''',
        # extend on an untraced receiver with a keyword extend lacks
        '''\
        import openai
        def more(playlist):
            return playlist.videos.extend(items=[1], model="sora-2", seconds=5)
        ''',
    ])
    def test_not_reported_nor_fixed(self, source):
        assert diags(source) == []
        assert_untouched(source)

    def test_the_shadowing_local_is_what_the_receiver_is(self):
        # With SDK keywords only, an untraced receiver passing a Sora model is still checked (the local
        # VimeoClient is not a client; the parametrized case above shows it is the local that counts).
        source = '''\
        from openai import OpenAI
        from vimeo import VimeoClient
        client = OpenAI(base_url="https://api.apiyi.com/v1")
        def upload(path):
            client = VimeoClient(token="x")
            return client.videos.create(model="sora-2", prompt="p", seconds=10)
        '''
        assert diags(source) == [
            "6:69 SOR001 seconds=10 is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
            'use 8 or 12, or model="sora-2-pro"' + APIYI,
        ]

    def test_a_traced_client_is_checked_whatever_its_keywords(self):
        # a keyword the SDK lacks on a real client is still a Sora call (the request would fail)
        source = '''\
        from openai import OpenAI
        client = OpenAI(base_url="https://api.apiyi.com/v1")
        client.videos.create(model="sora-2", prompt="p", seconds=10, title="x")
        '''
        # title= itself is SOR008's (tests/test_shapes_v3.py): this test is about the duration being checked.
        assert diags(source, settings=Settings(select=("SOR001",))) == [
            "3:58 SOR001 seconds=10 is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
            'use 8 or 12, or model="sora-2-pro"' + APIYI,
        ]

    def test_sdk_keywords_only_keep_an_untraced_call_with_a_sora_model(self):
        source = '''\
        import openai
        def go(get_client):
            return get_client().videos.create_and_poll(model="sora-2", prompt="p", seconds="10", size="1280x720",
                                                       poll_interval_ms=500, extra_headers={}, timeout=60)
        '''
        assert diags(source) == [
            "3:84 SOR001 seconds=\"10\" is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
            "use \"8\" or \"12\" [profile openai: auto: no client is built in this file]",
        ]


# SOR006: one short line, at the client (the rest is in `sora-lint rule SOR006`).
SHUT_DOWN = "SOR006 the official Sora API (api.openai.com) was shut down on 2026-09-24: every request to it fails"
SHUT_DOWN_BY_DEFAULT = SHUT_DOWN.replace("(api.openai.com)", "(api.openai.com, the client's default)")
OPENAI_NO_BASE_URL = " [profile openai: auto: client has no base_url]"


@pytest.fixture
def after_shutdown(monkeypatch):
    monkeypatch.setenv("SORA_LINT_TODAY", "2026-12-01")


class TestProfilePerCall:
    """3. A call whose client is known follows that client's server; the others follow the file's choice."""

    def test_two_clients_in_one_file(self, after_shutdown):
        source = '''\
        from openai import OpenAI
        apiyi = OpenAI(base_url="https://api.apiyi.com/v1")
        official = OpenAI(base_url="https://api.openai.com/v1")
        def a(prompt):
            return apiyi.videos.create(model="sora-2", prompt=prompt, seconds=8)
        def b(prompt):
            return official.videos.create(model="sora-2", prompt=prompt, seconds="8")
        '''
        assert diags(source) == [f"3:12 {SHUT_DOWN}"]  # at the official client
        assert_untouched(source)

    def test_each_call_is_fixed_in_its_own_clients_type(self):
        source = '''\
        from openai import OpenAI
        apiyi = OpenAI(base_url="https://api.apiyi.com/v1")
        official = OpenAI()
        apiyi.videos.create(model="sora-2", prompt="p", seconds="8")
        official.videos.create(model="sora-2", prompt="p", seconds=8)
        '''
        assert diags(source) == [
            '4:57 SOR002 seconds="8" is a string, but profile apiyi expects an int: use 8 (the official OpenAI API '
            'expects a string; if this code calls it, set profile = "openai")' + APIYI,
            "5:60 SOR002 seconds=8 is an int, but profile openai expects a string, as the openai SDK types it: use "
            '"8" (the APIYI gateway expects an int; if this code calls it, set profile = "apiyi")' + OPENAI_NO_BASE_URL,
        ]
        fixed = apply_fixes(textwrap.dedent(source), "t.py", Settings()).source
        assert fixed == textwrap.dedent(source).replace('seconds="8")', "seconds=@)").replace(
            "seconds=8)", 'seconds="8")').replace("seconds=@)", "seconds=8)")

    def test_the_module_client_and_an_inline_client_are_not_moved_by_a_gateway(self, after_shutdown):
        # tester's repros/module_proxy.py and edge_receivers.py: a gateway with a base_url from the environment
        source = '''\
        import os
        import openai
        from openai import OpenAI
        gateway = OpenAI(base_url=os.environ["GATEWAY_URL"])
        openai.videos.create(model="sora-2", prompt="p", seconds="8")
        openai.OpenAI().videos.create(model="sora-2", prompt="p", seconds="6")
        gateway.videos.create(model="sora-2", prompt="p", seconds="8")
        '''
        assert diags(source) == [
            f"5:1 {SHUT_DOWN_BY_DEFAULT}",  # the module-level client, at its first call
            f"6:1 {SHUT_DOWN_BY_DEFAULT}",  # the inline client, at its construction
            "6:67 SOR001 seconds=\"6\" is not supported by sora-2 (Supported values are: '4', '8', and '12'); "
            "use \"4\" or \"8\"" + OPENAI_NO_BASE_URL,
        ]

    def test_an_untraced_call_follows_the_files_first_server(self):
        template = '''\
        from openai import OpenAI
        client = OpenAI({base_url})
        def go(get_client):
            return get_client().videos.create(model="sora-2", prompt="p", seconds=8)
        '''
        assert diags(template.format(base_url='base_url="https://api.apiyi.com/v1"')) == []
        assert diags(template.format(base_url="")) == [
            "4:75 SOR002 seconds=8 is an int, but profile openai expects a string, as the openai SDK types it: use "
            '"8" (the APIYI gateway expects an int; if this code calls it, set profile = "apiyi")' + OPENAI_NO_BASE_URL,
        ]

    def test_litellm_azure_is_not_the_official_api(self, after_shutdown):
        # tester's repros/litellm_azure_mixed.py: an unrelated OpenAI() in the file does not make it the official API
        source = '''\
        import litellm
        from openai import OpenAI
        client = OpenAI()
        def render(prompt):
            return litellm.video_generation(model="azure/sora-2", prompt=prompt, seconds="8")
        '''
        assert diags(source) == []

    def test_litellm_openai_is_the_official_api_unless_an_api_base_is_given(self, after_shutdown):
        source = '''\
        import litellm
        litellm.video_generation(model="openai/sora-2", prompt="p", seconds="8")
        litellm.video_generation(model="openai/sora-2", prompt="p", seconds=8, api_base="https://api.apiyi.com/v1")
        '''
        assert diags(source) == [
            f"2:1 {SHUT_DOWN_BY_DEFAULT}",
        ]


class TestPortkey:
    """4. A Portkey client without base_url talks to Portkey's gateway, not to the openai SDK's default."""

    def test_no_shutdown_without_base_url(self, after_shutdown):
        source = '''\
        from portkey_ai import Portkey
        portkey = Portkey(api_key="pk", virtual_key="vk")
        def render(prompt):
            return portkey.videos.create(model="sora-2", prompt=prompt, seconds="8")
        '''
        assert diags(source) == []

    def test_a_portkey_client_pointed_at_openai_is_shut_down(self, after_shutdown):
        source = '''\
        from portkey_ai import Portkey
        Portkey(base_url="https://api.openai.com/v1").videos.create(model="sora-2", prompt="p", seconds="8")
        '''
        assert diags(source) == [f"2:1 {SHUT_DOWN}"]
