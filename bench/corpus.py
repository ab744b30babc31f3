"""The two corpora of the benchmark, built from scratch and deterministically.

* The **real tree** is a copy of ``.py`` files from the running interpreter's standard
  library and its installed site-packages: what a linter meets in a monorepo, almost no
  Sora call. Given the same interpreter and packages, the same files are picked.
* The **dense tree** is generated from a seeded :class:`random.Random`: every module mixes
  ordinary code with 3-5 Sora calls, valid and invalid, in the shapes the linter must read
  (literals, multi-line calls with comments, names bound to literals, ``**params``).
"""
from __future__ import annotations

import hashlib
import os
import random
import shutil
import site
import sysconfig
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

# A file at the root of each tree we build: only folders carrying it are ever deleted.
MARKER = ".sora-bench-corpus"


def _excluded_names() -> tuple[str, ...]:
    """Folder names sora-lint skips by default, and sora-lint's own package.

    The real tree must not contain them, or sora-lint would look at fewer files than the
    floor and flake8 do and the ratios would flatter it.
    """
    try:
        from sora_lint.contracts.settings import DEFAULT_EXCLUDES
    except ImportError:  # the benchmark still builds its corpus without the package
        DEFAULT_EXCLUDES = ("site-packages", "dist", "venv", ".venv", "__pycache__", "_build", "node_modules")
    # sora_lint itself: its own sources name Sora calls in examples and docs, and whether they sit in
    # site-packages depends on how it was installed (editable or not), which must not move the ratios.
    return tuple(DEFAULT_EXCLUDES) + ("dist-packages", "sora_lint")


@dataclass
class CorpusInfo:
    root: str
    files: int = 0
    bytes: int = 0
    digest: str = ""  # sha256 of the sorted relative paths and contents: same digest, same corpus
    details: dict[str, object] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def _reset(folder: Path) -> None:
    """Empty ``folder``, refusing to delete anything this module did not create."""
    if folder.exists():
        if any(folder.iterdir()) and not (folder / MARKER).exists():
            raise SystemExit(f"bench: {folder} exists and was not built by the benchmark; choose another --out")
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / MARKER).write_text("built by bench/run.py; deleted and rebuilt on every run\n")


def _digest_and_size(root: Path, relpaths: Sequence[str]) -> tuple[str, int]:
    sha = hashlib.sha256()
    total = 0
    for rel in sorted(relpaths):
        data = (root / rel).read_bytes()
        total += len(data)
        sha.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
    return sha.hexdigest(), total


# --- the real tree -------------------------------------------------------------

def source_roots() -> list[tuple[str, Path]]:
    """(label, folder) for the standard library and every site-packages of this interpreter."""
    paths = sysconfig.get_paths()
    candidates = [("stdlib", paths["stdlib"])]
    site_dirs = list(getattr(site, "getsitepackages", lambda: [])())
    site_dirs += [paths["purelib"], paths["platlib"]]
    for i, folder in enumerate(dict.fromkeys(os.path.realpath(d) for d in site_dirs)):
        # "packages", not "site-packages": sora-lint excludes folders of that name.
        candidates.append((f"packages{i}", folder))
    return [(label, Path(folder)) for label, folder in candidates if os.path.isdir(folder)]


def _python_files(root: Path, skip: tuple[str, ...]) -> list[str]:
    """Relative paths of the regular ``.py`` files under ``root``, sorted, skipping ``skip`` folders."""
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in skip and not d.endswith((".dist-info", ".egg-info")))
        for name in sorted(files):
            path = os.path.join(folder, name)
            if name.endswith(".py") and os.path.isfile(path) and not os.path.islink(path):
                found.append(os.path.relpath(path, root))
    return found


def build_real_tree(dest: Path, max_files: int) -> CorpusInfo:
    """Copy up to ``max_files`` library files into ``dest``, spread evenly over all of them.

    Taking every k-th file rather than the first ``max_files`` keeps the mix of stdlib,
    tests and third-party code whatever the cap.
    """
    _reset(dest)
    skip = _excluded_names()
    pool: list[tuple[str, Path, str]] = []
    for label, root in source_roots():
        # The stdlib folder holds site-packages itself: `skip` keeps it out of the stdlib part.
        pool.extend((label, root, rel) for rel in _python_files(root, skip))
    if len(pool) > max_files:
        pool = [pool[i * len(pool) // max_files] for i in range(max_files)]
    copied: list[str] = []
    with_videos = 0
    for label, root, rel in pool:
        target = dest / label / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / rel, target)
        copied.append(os.path.join(label, rel))
        with_videos += b"videos" in target.read_bytes()
    digest, size = _digest_and_size(dest, copied)
    return CorpusInfo(str(dest), len(copied), size, digest,
                      {"sources": [str(r) for _, r in source_roots()], "files_with_videos": with_videos})


# --- the dense tree ------------------------------------------------------------

_WORDS = ("alpha", "beacon", "canyon", "delta", "ember", "forest", "glacier", "harbor", "island", "jungle",
          "kelp", "lagoon", "meadow", "nebula", "orchard", "prairie", "quarry", "river", "summit", "tundra",
          "valley", "willow", "yonder", "zephyr", "amber", "basalt", "cobalt", "dune", "fjord", "grove")
_SUBJECTS = ("a red fox crossing a snowy field", "waves breaking on black sand", "a city street at night in the rain",
             "a paper boat drifting down a gutter", "a hummingbird over a flower", "clouds rolling over a ridge",
             "a cat knocking a glass off a table", "a lighthouse in a storm")

# Values drawn for the Sora parameters: mostly valid under one contract or the other, with the
# common mistakes of the APIYI article's table (5, 6, 10, 15, 20, 30 s), ints and strings.
_SECONDS = (4, 8, 12, 4, 8, 12, 10, 15, 25, 5, 6, 20, 30, "4", "8", "12", "10", "16")
_MODELS = ("sora-2", "sora-2", "sora-2-pro", "sora-2-pro", "sora-2-2025-10-06", "sora2", "Sora-2-Pro", "sora-2pro")
_SIZES = ("1280x720", "720x1280", "720x1280", "1792x1024", "1024x1792", "1280*720", "1920x1080")
_FIXIT_VALID_SECONDS = (4, 8, 12)


class _Module:
    """One generated module: its lines, and what it contains (for the checks in run.py)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.header: list[str] = []
        self.constants: list[str] = []
        self.blocks: list[list[str]] = []
        self.sora_calls = 0
        # `client.videos.create(..., seconds=<int literal not in 4, 8, 12>, ...)`: what the Fixit
        # rule flags, counted here so that run.py can check Fixit really found them all.
        self.fixit_expected = 0
        self._names: dict[str, int] = {}

    def name(self, stem: str) -> str:
        """A fresh identifier, so that generated bindings never collide within the module."""
        self._names[stem] = self._names.get(stem, 0) + 1
        return f"{stem}_{self._names[stem]}"

    def word(self) -> str:
        return self.rng.choice(_WORDS)

    def text(self) -> str:
        lines = self.header + [""] + self.constants + [""]
        for block in self.blocks:
            lines += [""] + block + [""]
        return "\n".join(lines).rstrip() + "\n"

    def line_count(self) -> int:
        return len(self.header) + len(self.constants) + sum(len(b) + 2 for b in self.blocks) + 2


def _literal(value: object) -> str:
    return repr(value) if isinstance(value, int) else f'"{value}"'


# Ordinary code: top-level blocks written as templates. {name} is a fresh identifier built
# from the stem; {word}, {word2}, {small} (2-9), {number} (0-999) and {ratio} are drawn anew.
_TEMPLATES: tuple[tuple[str, str], ...] = (
    ("total_{word}", '''
def {name}(items: List[int], limit: int = {number}) -> int:
    """Sum the {word2} values below the limit, skipping odd indexes."""
    total = 0
    for index, value in enumerate(items):
        if index % 2:
            continue
        if value > limit:
            break
        total += value * {small}
    return total
'''),
    ("{Word}Store", '''
class {name}:
    """Keeps {word2} records in memory, keyed by name."""

    def __init__(self, capacity: int = {number}) -> None:
        self.capacity = capacity
        self._items: Dict[str, str] = {{}}

    def add(self, key: str, value: str) -> bool:
        if len(self._items) >= self.capacity:
            return False
        self._items[key] = value.strip()
        return True

    @property
    def keys(self) -> List[str]:
        return sorted(self._items)
'''),
    ("index_{word}", '''
def {name}(words: List[str]) -> Dict[str, int]:
    lengths = {{word: len(word) for word in words if word}}
    initials = sorted({{word[0] for word in words if word}}, key=lambda c: (c.lower(), c))
    long_ones = [w.upper() for w in words if len(w) > {small}]
    pairs = list(zip(initials, long_ones))
    return {{k: v for k, v in lengths.items() if any(k.startswith(p) for p, _ in pairs)}}
'''),
    ("load_{word}", '''
def {name}(path: str) -> Optional[dict]:
    """Read a JSON file; None when it is missing or not valid JSON."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as exc:
        print(f"skipping {{path}}: {{exc}}")
        return None
    data.setdefault("{word2}", {number})
    return data
'''),
    ("{Word}Settings", '''
@dataclass
class {name}:
    name: str = "{word2}"
    retries: int = {small}
    ratio: float = {ratio}

    def describe(self) -> str:
        return f"{{self.name}} x{{self.retries}} ({{self.ratio:.0%}})"
'''),
    ("collatz_{word}", '''
def {name}(n: int) -> int:
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n //= 2
        elif n % 3 == 0:
            n = n // 3 + 1
        else:
            n = 3 * n + 1
        steps += 1
    return steps
'''),
)


def _render(mod: _Module, stem: str, template: str, **values: object) -> list[str]:
    """The lines of one block: ``template`` with a fresh {name} and newly drawn values."""
    word = mod.word()
    name = mod.name(stem.format(word=word, Word=word.capitalize()))
    drawn = dict(word2=mod.word(), small=mod.rng.randint(2, 9), number=mod.rng.randint(0, 999),
                 ratio=mod.rng.randint(1, 99) / 100)
    text = template.strip("\n").format(name=name, **drawn, **values)
    return text.split("\n")


def _ordinary(mod: _Module) -> list[str]:
    return _render(mod, *mod.rng.choice(_TEMPLATES))


def _table(mod: _Module) -> list[str]:
    name = mod.name(mod.word().upper() + "_TABLE")
    rows = [f'    "{mod.word()}": ({mod.rng.randint(0, 999)}, "{mod.word()}"),' for _ in range(mod.rng.randint(3, 7))]
    return [f"{name} = {{"] + rows + ["}"]


# Six templates and a table: the table comes up as often as one template.
_ORDINARY: tuple[Callable[[_Module], list[str]], ...] = (_ordinary,) * 6 + (_table,)


# Sora calls, in the shapes users write them: (stem, template, direct). On top of the fields
# above, {model}, {seconds} and {size} are drawn for the call; {var} and {const} are fresh names.
# `direct`: the call is `<client>.videos.create(..., seconds=<literal>)`, the only shape the
# Fixit rule reads; an int outside 4, 8, 12 there is one Fixit finding.
_SORA_TEMPLATES: tuple[tuple[str, str, bool], ...] = (
    ("render_{word}", '''
def {name}(prompt: str) -> str:
    video = client.videos.create(model="{model}", prompt=prompt, seconds={seconds}, size="{size}")
    return video.id
''', True),
    ("make_{word}_clip", '''
def {name}(subject: str, draft: bool = False) -> dict:
    """Queue one clip of {word2} footage."""
    job = client.videos.create(
        model="{model}",  # chosen by the {word2} team
        prompt=f"{{subject}}, cinematic, golden hour",
        seconds={seconds},
        # the storyboard is portrait or landscape
        size="{size}",
    )
    return {{"id": job.id, "draft": draft}}
''', True),
    ("render_{word}_async", '''
async def {name}(prompt: str) -> str:
    video = await aclient.videos.create(
        model="{model}", prompt=prompt, seconds={seconds}, size="{size}"
    )
    return video.id
''', True),
    # Names bound to literals in the module.
    ("trailer_{word}", '''
{const}_MODEL = "{model}"
{const}_SECONDS = {seconds}
{const}_SIZE = "{size}"


def {name}(prompt: str):
    return client.videos.create(model={const}_MODEL, prompt=prompt, seconds={const}_SECONDS, size={const}_SIZE)
''', False),
    # **params from a dict literal, or from dict(...).
    ("batch_{word}", '''
def {name}(prompts: List[str]) -> List[str]:
    {var} = {{"model": "{model}", "seconds": {seconds}, "size": "{size}"}}
    ids = []
    for prompt in prompts:
        ids.append(client.videos.create(prompt=prompt, **{var}).id)
    return ids
''', False),
    ("queue_{word}", '''
def {name}(prompt: str):
    {var} = dict(model="{model}", seconds={seconds}, size="{size}")
    return client.videos.create_and_poll(prompt=prompt, **{var})
''', False),
    # The other methods that take the three parameters.
    ("raw_{word}", '''
def {name}(prompt: str):
    return client.videos.with_raw_response.create(model="{model}", prompt=prompt, seconds={seconds}, size="{size}")
''', False),
    ("extend_{word}", '''
def {name}(video_id: str, prompt: str):
    return client.videos.extend(video=video_id, prompt=prompt, seconds={seconds})
''', False),
    # Values the linter cannot know: it must stay silent about them.
    ("from_cli_{word}", '''
def {name}(args) -> str:
    video = client.videos.create(model=args.model, prompt=args.prompt, seconds=args.seconds, size="{size}")
    return video.status
''', False),
)
# Literal calls come up twice as often as each other shape.
_SORA_WEIGHTS = (2, 2, 1, 1, 1, 1, 1, 1, 1)


def _sora_block(mod: _Module) -> list[str]:
    stem, template, direct = mod.rng.choices(_SORA_TEMPLATES, _SORA_WEIGHTS)[0]
    seconds = mod.rng.choice(_SECONDS)
    mod.sora_calls += 1
    if direct and isinstance(seconds, int) and seconds not in _FIXIT_VALID_SECONDS:
        mod.fixit_expected += 1
    return _render(mod, stem, template, model=mod.rng.choice(_MODELS), size=mod.rng.choice(_SIZES),
                   seconds=_literal(seconds), var=mod.name("params"), const=mod.name("CLIP"))


# Arguments of the module's clients; with APIYI's host, profile `auto` checks the file as apiyi.
_CLIENT_ARGS = (
    "",
    'base_url="https://api.apiyi.com/v1"',
    'api_key=os.environ.get("OPENAI_API_KEY")',
    'base_url="https://api.apiyi.com/v1", api_key=os.environ["APIYI_KEY"]',
)


def generate_module(rng: random.Random) -> _Module:
    """One module of 80-150 lines with 3-5 Sora calls among ordinary blocks."""
    mod = _Module(rng)
    mod.header = [
        f'"""Video tooling for the {mod.word()} project (generated by bench/corpus.py)."""',
        "import json",
        "import os",
        "from dataclasses import dataclass",
        "from typing import Dict, List, Optional",
        "",
        "from openai import AsyncOpenAI, OpenAI",
    ]
    client_args = rng.choice(_CLIENT_ARGS)
    mod.constants = [f"client = OpenAI({client_args})", f"aclient = AsyncOpenAI({client_args})"]
    target_lines = rng.randint(80, 150)
    sora_blocks = [_sora_block(mod) for _ in range(rng.randint(3, 5))]
    ordinary: list[list[str]] = []
    while mod.line_count() + sum(len(b) + 2 for b in sora_blocks + ordinary) < target_lines:
        ordinary.append(rng.choice(_ORDINARY)(mod))
    # Interleave: the Sora calls land at random places among the ordinary code.
    blocks = ordinary + sora_blocks
    rng.shuffle(blocks)
    mod.blocks = blocks
    return mod


def build_dense_tree(dest: Path, files: int, seed: int) -> CorpusInfo:
    """Write ``files`` generated modules under ``dest`` (50 per package folder)."""
    _reset(dest)
    # Fixit finds its configuration (and trailrunner its project root and .gitignore) by walking
    # up from each file: a root config here keeps both inside the tree, wherever --out points.
    (dest / "pyproject.toml").write_text("[tool.fixit]\nroot = true\n")
    rng = random.Random(seed)
    relpaths: list[str] = []
    sora_calls = fixit_expected = lines = 0
    for i in range(files):
        mod = generate_module(rng)
        rel = os.path.join(f"pkg{i // 50:03d}", f"video_job_{i:05d}.py")
        (dest / rel).parent.mkdir(exist_ok=True)
        text = mod.text()
        (dest / rel).write_text(text, encoding="utf-8")
        relpaths.append(rel)
        sora_calls += mod.sora_calls
        fixit_expected += mod.fixit_expected
        lines += text.count("\n")
    digest, size = _digest_and_size(dest, relpaths)
    return CorpusInfo(str(dest), len(relpaths), size, digest,
                      {"seed": seed, "lines": lines, "sora_calls": sora_calls,
                       "fixit_expected_findings": fixit_expected})


def build(out: Path, real_files: int, dense_files: int, seed: int) -> dict[str, CorpusInfo]:
    return {"real": build_real_tree(out / "real", real_files),
            "dense": build_dense_tree(out / "dense", dense_files, seed)}


if __name__ == "__main__":  # a quick look at one generated module
    import sys

    print(generate_module(random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 0)).text())
