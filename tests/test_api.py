"""The public API is what __all__ says, and every name in it is documented."""

import dataclasses

import pytest

import textmine


def test_all_names_exist_and_are_documented():
    for name in textmine.__all__:
        obj = getattr(textmine, name)
        if name != "__version__":
            assert obj.__doc__, f"textmine.{name} has no docstring"


def test_all_lists_every_public_name():
    # dir(): the names are imported on first use, so vars() holds only those used so far
    public = {n for n in dir(textmine) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(textmine, n)).__name__ == "module"}
    assert public - modules == set(textmine.__all__) - {"__version__"}


def test_the_readme_from_python_example_runs(tmp_path):
    """The README's "From Python" example, run as written on a sample of four-cities (its paths swapped
    for the sample's), and every stand-alone name it mentions is public."""
    import re
    from pathlib import Path

    from conftest import SUBSET, make_corpus

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = re.split(r"\n##+ ", readme.split("### From Python", 1)[1], maxsplit=1)[0]  # to the next heading
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    corpus = make_corpus(tmp_path / "corpus", SUBSET)
    code = code.replace("../shared/corpora/four-cities", str(corpus)).replace(
        "outputs/four-cities", str(tmp_path / "out")
    )
    code = code.replace('{"topics.k": 10}', '{"topics.k": 3, "run.progress": False}')  # the sample is 15 documents
    lines = [line for line in code.splitlines() if line.strip()]
    namespace: dict = {}
    exec("\n".join(lines[:4]), namespace)  # import, config, run, its analysis
    values = [eval(line.split("#")[0].strip(), namespace) for line in lines[4:]]
    top, beijing, links, shenzhen, drafting, modularity, topic, frame, analysed = values
    assert len(top) == 10 and beijing.name == "beijing" and links[0].partner and drafting[0].term
    assert isinstance(shenzhen, list) and 0 <= modularity <= 1 and len(topic) == 10
    assert (tmp_path / "out" / "report.html").is_file()
    assert analysed == top and sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "out"]  # analyse writes nothing
    # every table as a DataFrame: the CSV's columns and rows, numbers as numbers
    import csv

    run, analysis = namespace["run"], namespace["analysis"]
    assert (
        run.files == sorted(p for p in (tmp_path / "out").rglob("*") if p.is_file()) and run.output == tmp_path / "out"
    )
    assert set(run.timings) > set(analysis.timings) >= {"extract", "segment", "compare"} and "write" in run.timings
    with pytest.raises(dataclasses.FrozenInstanceError):
        analysis.topics = None
    # write_run alone writes what run wrote: analyse, then write, is the same run
    again = textmine.write_run(textmine.analyse(corpus, config=namespace["config"]), str(tmp_path / "again"))
    assert [p.relative_to(again.output) for p in again.files] == [p.relative_to(run.output) for p in run.files]
    for a, b in zip(run.files, again.files, strict=True):
        assert a.name == "run.json" or a.read_bytes() == b.read_bytes(), a
    assert again.timings["total"] >= sum(v for k, v in again.timings.items() if k != "total") * 0.99
    frames = textmine.tables(analysis)
    written = sorted(p.stem for p in (tmp_path / "out" / "tables").glob("*.csv"))
    assert sorted(frames) == written and frame is not None and list(frame.columns) == list(frames["distinctive_terms"])
    for name in ("documents", "frequencies", "network_edges"):
        with (tmp_path / "out" / "tables" / f"{name}.csv").open(encoding="utf-8-sig", newline="") as fh:
            header, *rows = list(csv.reader(fh))
        assert list(frames[name].columns) == header and len(frames[name]) == len(rows) > 0
    counts = frames["frequencies"]
    assert counts["freq"].dtype.kind == "i" and counts["freq"].tolist()[:10] == [t.freq for t in top]
    named = set(re.findall(r"`(\w+)\(", section.split("```", 2)[2]))
    assert named and named <= set(textmine.__all__) | {"Segmenter"}
