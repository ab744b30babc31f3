"""Rule documentation, from the docs each rule carries (``sora-lint rule``, docs/rules/)."""
from __future__ import annotations

from typing import Optional

PARSE_ERROR_DOC = """\
# SOR000 (parse-error)

## What it does
Reports a file that sora-lint could not read or parse, with the position of the problem.

## Why is this bad?
A file that cannot be parsed cannot be checked: any Sora call in it would go unreported.
The run goes on with the other files.

## Fix safety
No fix: correct the syntax or the encoding of the file.
"""


def rule_doc(code: str) -> Optional[str]:
    from .rules import RULES_BY_CODE

    if code == "SOR000":
        return PARSE_ERROR_DOC
    rule = RULES_BY_CODE.get(code)
    if rule is None:
        return None
    return (
        f"# {rule.code} ({rule.name})\n\n"
        f"## What it does\n{rule.summary[0].upper()}{rule.summary[1:]}.\n\n"
        f"## Why is this bad?\n{rule.why}\n\n"
        f"## Example\n```python\n{rule.example}\n```\n\n"
        f"## Use instead\n```python\n{rule.use_instead}\n```\n\n"
        f"## Fix safety\n{rule.fix_safety}\n"
    )


def rule_index() -> str:
    from .rules import ALL_RULES

    rows = ["SOR000  parse-error           file could not be read or parsed"]
    rows += [f"{r.code}  {r.name:<20}  {r.summary}" for r in ALL_RULES]
    return "\n".join(rows)
