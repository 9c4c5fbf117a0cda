"""Rewrite the README's configuration table from textmine.config (the single source of each key's help).

python tools/config_table.py        # README.md updated in place
"""

import json
import re
from pathlib import Path

from textmine.config import describe

README = Path(__file__).resolve().parents[1] / "README.md"


def table() -> str:
    rows = ["| key | default | meaning |", "|---|---|---|"]
    for section, key, default, text in describe():
        rows.append(f"| `{section}.{key}` | `{json.dumps(default, ensure_ascii=False)}` | {text} |")
    return "\n".join(rows) + "\n"


def main() -> None:
    text = README.read_text(encoding="utf-8")
    updated, n = re.subn(r"^\| key \| default \| meaning \|\n(?:\|.*\|\n)+", table(), text, count=1, flags=re.M)
    if n != 1:
        raise SystemExit("README.md: no configuration table found")
    README.write_text(updated, encoding="utf-8")


if __name__ == "__main__":
    main()
