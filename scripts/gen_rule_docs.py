#!/usr/bin/env python3
"""Write docs/rules/ (one page per rule and an index) from the docs the rules carry, and the pages' generated tables.

    python scripts/gen_rule_docs.py          # (re)write docs/rules/ and the generated blocks of README.md and docs/
    python scripts/gen_rule_docs.py --check  # exit 1 when either is out of date

The text is sora_lint.frontends.docs.rule_doc_files(), the same that `sora-lint rule CODE`
prints; tests/test_rule_docs.py keeps the committed files in sync with it.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sora_lint.frontends.docs import GENERATED_PAGES, RULES_DOCS_DIR, rule_doc_files, with_generated_blocks  # noqa: E402


def out_of_date(folder: Path, files: dict[str, str]) -> list[str]:
    """The names in ``folder`` that differ from ``files``: missing, changed or left over."""
    present = {p.name for p in folder.glob("*.md")} if folder.is_dir() else set()
    stale = [name for name, text in files.items()
             if name not in present or (folder / name).read_text(encoding="utf-8") != text]
    return sorted(stale + [name for name in present if name not in files])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when the files are out of date")
    parser.add_argument("--out", help="folder to write instead of docs/rules "
                                      "(the pages with generated blocks are then left alone)")
    args = parser.parse_args(argv)
    folder = Path(args.out or ROOT / RULES_DOCS_DIR)
    files = rule_doc_files()
    stale = out_of_date(folder, files)
    pages = {} if args.out else {ROOT / page: page for page in GENERATED_PAGES}
    changed = {}
    for path, page in pages.items():
        text = path.read_text(encoding="utf-8")
        if with_generated_blocks(text, page) != text:
            changed[path] = with_generated_blocks(text, page)
    if args.check:
        for path in [folder / name for name in stale] + list(changed):
            print(f"{path}: out of date; run python scripts/gen_rule_docs.py")
        return 1 if stale or changed else 0
    for path, text in changed.items():
        path.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {path}")
    folder.mkdir(parents=True, exist_ok=True)
    for name in stale:
        path = folder / name
        if name in files:
            path.write_text(files[name], encoding="utf-8", newline="\n")
        else:
            path.unlink()
        print(f"wrote {path}" if name in files else f"removed {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
