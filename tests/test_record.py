"""The run record names the version of every library a result can depend on."""

import re
import tomllib
from pathlib import Path

from textmine.workflow.libraries import library_versions


def test_every_dependency_of_the_package_is_recorded_with_its_version():
    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    # names as the package metadata spells them (PEP 503: lower case, runs of "-_." as one "-")
    required = {
        re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", r).group()).lower() for r in project["dependencies"]
    }
    versions = library_versions()
    recorded = {re.sub(r"[-_.]+", "-", name).lower() for name in versions}
    assert required <= recorded  # was: threadpoolctl and adjustText missing, a chart's library among them
    assert {"adjusttext", "threadpoolctl", "xlsxwriter"} <= recorded
    assert all(versions[name] != "not installed" for name in versions)
