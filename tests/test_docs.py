"""The README documents every config key, and CI runs exactly the README's test command."""

import re
from pathlib import Path

from textmine.config import describe

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_config_key_is_in_the_readme():
    for section, key, _, text in describe():
        assert re.search(rf"^\| `{section}\.{key}` \| .* \| {re.escape(text)} \|$", README, re.M), f"{section}.{key}"


def test_ci_runs_the_quickstart_test_command():
    quickstart = README.split("## Quickstart", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in quickstart.splitlines() if line and not line.startswith("#")]
    assert len(commands) == 2
    ci = [
        line for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines() if line.startswith("apt-get")
    ]
    assert ci == [commands[1]]
    assert commands[0].endswith("textmine run ../shared/corpora/four-cities")
