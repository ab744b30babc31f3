"""What sora-lint explains about itself: rule docs and profile tables.

One source for ``sora-lint rule``, ``sora-lint profiles``, the SARIF rule metadata
and the generated ``docs/rules/`` pages (``scripts/gen_rule_docs.py``).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..contracts.catalog import SOR_TYPE_INT, ModelSpec, Profile
from ..contracts.lifecycle import Server
from ..core.types import PARSE_ERROR

if TYPE_CHECKING:
    from ..rules.base import Invalid, Valid

REPO_URL = "https://github.com/sora-lint/sora-lint"
RULES_DOCS_DIR = "docs/rules"
INDEX_PAGE = "README.md"


def tool_version() -> str:
    try:
        from importlib.metadata import version

        return version("sora-lint")
    except Exception:  # noqa: BLE001 - running from a source tree
        return "0+unknown"


def rule_url(code: str) -> str:
    """The page of a rule's documentation (generated into docs/rules/)."""
    return f"{REPO_URL}/blob/main/{RULES_DOCS_DIR}/{code}.md"


@dataclass(frozen=True)
class RuleDoc:
    """The documentation of one code, as every front end shows it."""

    code: str
    name: str
    summary: str
    what: str
    why: str
    fix_safety: str
    reports: str  # the README's rule table: what it reports, and its fix in brief
    fix_summary: str
    fixable: bool = True  # whether findings of this code can carry a fix
    # The rule's own tests (tests/test_rule_examples.py runs each one): the docs show only tested code.
    invalid: Sequence[Invalid] = ()
    valid: Sequence[Valid] = ()

    def markdown(self) -> str:
        parts = [
            f"# {self.code} ({self.name})\n",
            f"## What it does\n{self.what}\n",
            f"## Why is this bad?\n{self.why}\n",
        ]
        if self.invalid or self.valid:
            parts.append(self._examples())
        parts.append(f"## Fix safety\n{self.fix_safety}\n")
        parts.append(
            "## Turning it off\n"
            f'`ignore = ["{self.code}"]` in `[tool.sora-lint]`, `--ignore {self.code}` on the command line, '
            f"or `# noqa: {self.code}` at the end of the reported line.\n"
        )
        return "\n".join(parts)

    def _examples(self) -> str:
        """The examples as Fixit renders its rules' tests: each reported one with its finding and its fix."""
        parts = ["## Examples\n",
                 "Each example is one of the rule's tests, run as shown "
                 "(with only this rule selected and the profile pinned).\n"]
        for example in self.invalid:
            mark = " [*]" if example.fixed is not None else ""
            parts.append(f"Reported (`profile = \"{example.profile}\"`):\n```python\n{example.source}```\n"
                         f"```text\nexample.py:{example.start[0]}:{example.start[1]}: {self.code}{mark} "
                         f"{example.message}\n```\n")
            if example.fixed is not None:
                parts.append(f"Its safe fix writes:\n```python\n{example.fixed}```\n")
        for valid in self.valid:
            parts.append(f"Not reported (`profile = \"{valid.profile}\"`):\n```python\n{valid.source}```\n")
        return "\n".join(parts)


PARSE_ERROR_DOC = RuleDoc(
    code=PARSE_ERROR,
    name="parse-error",
    summary="file could not be read or parsed",
    what="Reports a file that sora-lint could not read or parse, with the position of the problem.",
    why=("A file that cannot be parsed cannot be checked: any Sora call in it would go unreported. "
         "The run goes on with the other files."),
    fix_safety="No fix: correct the syntax or the encoding of the file.",
    reports="a file that could not be read or parsed (with CPython's message and position); the run goes on",
    fix_summary="none",
    fixable=False,
)


def rule_docs() -> tuple[RuleDoc, ...]:
    """Every code sora-lint can emit, in code order, documented from the rule classes."""
    from ..rules import ALL_RULES

    docs = [PARSE_ERROR_DOC]
    for rule in ALL_RULES:
        docs.append(RuleDoc(
            code=rule.code,
            name=rule.name,
            summary=rule.summary,
            what=f"Reports a Sora video call where {rule.summary}.",
            why=rule.why,
            fix_safety=rule.fix_safety,
            reports=rule.reports,
            fix_summary=rule.fix_summary,
            fixable=rule.fixable,
            invalid=tuple(rule.INVALID),
            valid=tuple(rule.VALID),
        ))
    return tuple(docs)


def docs_by_code() -> dict[str, RuleDoc]:
    return {d.code: d for d in rule_docs()}


def rule_doc(code: str) -> str | None:
    """``sora-lint rule CODE``: the rule's page, or ``None`` for an unknown code."""
    doc = docs_by_code().get(code.upper())
    return doc.markdown() if doc else None


def rule_index() -> str:
    """``sora-lint rule --all``: one line per code."""
    docs = rule_docs()
    width = max(len(d.name) for d in docs)
    return "\n".join(f"{d.code}  {d.name:<{width}}  {d.summary}" for d in docs)


def rule_doc_files() -> dict[str, str]:
    """The files of docs/rules/ (name -> content), as scripts/gen_rule_docs.py writes them."""
    docs = rule_docs()
    index = [
        "# sora-lint rules\n",
        "Generated by `scripts/gen_rule_docs.py` from the rules' own docs "
        "(the same text `sora-lint rule CODE` prints). Do not edit by hand.\n",
        "| code | name | what it reports | fix |",
        "| --- | --- | --- | --- |",
    ]
    for d in docs:
        summary = d.summary.replace("|", "\\|")
        index.append(f"| [{d.code}]({d.code}.md) | {d.name} | {summary} | {'yes' if d.fixable else 'no'} |")
    files = {INDEX_PAGE: "\n".join(index) + "\n"}
    files.update({f"{d.code}.md": d.markdown() for d in docs})
    return files


# --- profiles --------------------------------------------------------------------

def _table(rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [(indent + "  ".join(cell.ljust(w) for cell, w in zip(row, widths))).rstrip() for row in rows]


def _numbers(values: Sequence[int]) -> str:
    return ", ".join(str(v) for v in values) or "-"


def profile_table(profile: Profile, origin: str) -> str:
    """One profile: its settings, then one row per model."""
    seconds_type = ("int (seconds=8)" if profile.seconds_type == SOR_TYPE_INT else 'str (seconds="8")')
    settings = [
        ("seconds type", seconds_type),
        ("hosts", ", ".join(profile.hosts) or "-"),
        ("extends", profile.extends or "-"),
        ("aliases", ", ".join(f"{a} -> {m}" for a, m in profile.aliases.items()) or "-"),
        ("extend seconds", _numbers(profile.extend_seconds) if profile.extend_seconds else "- (not checked)"),
        ("default model", profile.default_model_name or "-"),
    ]
    for server in _servers_of(profile):
        dates = server.dates
        settings.append(("lifecycle", f"{server.name} ({', '.join(server.hosts) or 'no hosts'}): "
                                      f"deprecated {dates.deprecated or '-'}, shutdown {dates.shutdown or '-'}"))
    models = [("model", "seconds", "default", "upgrades", "sizes")]
    models += [(spec.name, _numbers(spec.seconds), str(spec.default_seconds),
                ", ".join(spec.upgrades) or "-", ", ".join(spec.sizes)) for spec in profile.models.values()]
    lines = [f"{profile.name} ({origin})", f"  {profile.description}"]
    lines += _table(settings)
    lines.append("")
    lines += _table(models)
    return "\n".join(lines)


def _servers_of(profile: Profile) -> list[Server]:
    """The lifecycle entries with a date for the profile's hosts: its own, or the shipped servers'."""
    from ..contracts.catalog import SHIPPED_SERVERS

    if profile.server is not None:
        return [profile.server]
    return [s for s in SHIPPED_SERVERS if s.has_dates and any(profile.matches_host(h) for h in s.hosts)]


def profile_tables(profiles: Mapping[str, Profile], user_profiles: Mapping[str, Profile],
                   source: str | None) -> str:
    """``sora-lint profiles``: every profile, shipped ones first, then the configuration's in its order."""
    names = [n for n in profiles if n not in user_profiles] + list(user_profiles)
    blocks = []
    for name in names:
        origin = f"user-defined in {source}" if name in user_profiles else "shipped"
        blocks.append(profile_table(profiles[name], origin))
    return "\n\n".join(blocks)


# --- README blocks generated from the catalog ------------------------------------------------------------

def _codes(values: Sequence[object]) -> str:
    return ", ".join(str(v) for v in values)


def profile_markdown(profiles: Sequence[Profile]) -> str:
    """The table of the shipped contracts, side by side (docs/profiles.md)."""
    header = "| | " + " | ".join(f"`{p.name}` ({p.contract_name or p.description})" for p in profiles) + " |"
    rows = [("`seconds` type", [_seconds_type_cell(p) for p in profiles]),
            ("default model", [f"`{p.default_model_name}`" for p in profiles])]
    for name in dict.fromkeys(m for p in profiles for m in p.models):
        rows += _model_rows(name, [p.models.get(name) for p in profiles])
    rows.append(("`videos.extend` seconds", [_codes(p.extend_seconds) if p.extend_seconds
                                             else "type only (not documented)" for p in profiles]))
    rows.append(("hosts (`auto`)", [", ".join(p.hosts) or "-" for p in profiles]))
    lines = [header, "|---" * (len(profiles) + 1) + "|"]
    lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in rows]
    return "\n".join(lines)


def _seconds_type_cell(p: Profile) -> str:
    spec = p.model(p.default_model_name)
    durations = spec.seconds if spec else ()
    if p.seconds_type == SOR_TYPE_INT:
        return "int: " + ", ".join(f"`{s}`" for s in durations)
    return "string: " + ", ".join(f'`"{s}"`' for s in durations)


def _model_rows(name: str, specs: Sequence[ModelSpec | None]) -> list[tuple[str, list[str]]]:
    rows = [(f"`{name}` seconds", [_codes(s.seconds) if s else "-" for s in specs]),
            (f"`{name}` sizes", [_codes(s.sizes) if s else "-" for s in specs])]
    if any(s and s.upgrades for s in specs):
        rows.append((f"`{name}` upgrade (unsafe fix)",
                     [", ".join(f"`{u}`" for u in s.upgrades) if s and s.upgrades else "-" for s in specs]))
    return rows


def rules_markdown(docs: Sequence[RuleDoc]) -> str:
    """The README's table of every code."""
    rows = ["| code | name | what it reports | fix |", "|---|---|---|---|"]
    for d in docs:
        cells = [d.code, d.name, d.reports, d.fix_summary]
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows)


def lifecycle_markdown(servers: Sequence[Server]) -> str:
    """The README's table of the servers sora-lint knows a lifecycle for."""
    rows = ["| server | hosts | deprecated | shutdown | source |", "|---|---|---|---|---|"]
    for s in servers:
        hosts = ", ".join(f"`{h}`" for h in s.hosts) + (" and a client without `base_url`" if s.sdk_default else "")
        rows.append(f"| {s.name} | {hosts} | {s.dates.deprecated or '-'} | {s.dates.shutdown or '-'} | "
                    f"{s.source.replace('|', '/')} |")
    return "\n".join(rows)


# The pages that hold generated blocks, and the blocks each holds (scripts/gen_rule_docs.py rewrites them).
GENERATED_PAGES: dict[str, tuple[str, ...]] = {
    "README.md": ("rules",),
    "docs/profiles.md": ("profiles", "lifecycle"),
}


def readme_blocks() -> dict[str, str]:
    """Every generated block, by name (between ``<!-- begin NAME -->`` and ``<!-- end NAME -->``)."""
    from ..contracts.catalog import SHIPPED_PROFILES, SHIPPED_SERVERS

    return {"rules": rules_markdown(rule_docs()),
            "profiles": profile_markdown(list(SHIPPED_PROFILES.values())),
            "lifecycle": lifecycle_markdown(SHIPPED_SERVERS)}


def with_generated_blocks(text: str, page: str = "README.md") -> str:
    """``text`` (the page ``page`` of GENERATED_PAGES) with its generated blocks rewritten from the code."""
    blocks = readme_blocks()
    for name in GENERATED_PAGES[page]:
        begin, end = f"<!-- begin {name} (generated by scripts/gen_rule_docs.py) -->\n", f"\n<!-- end {name} -->"
        start = text.find(begin)
        stop = text.find(end, start)
        if start < 0 or stop < 0:
            raise ValueError(f"{page} has no generated block {name!r}")
        text = text[:start + len(begin)] + blocks[name] + text[stop:]
    return text
