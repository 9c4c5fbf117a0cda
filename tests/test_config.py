import re
import tomllib

import pytest

from textmine.config import describe, load_config, to_toml
from textmine.errors import ConfigError


def test_defaults_are_the_documented_ones():
    config = load_config()
    assert config.corpus.group_by == "city"
    assert config.network.top_n == 50 and config.network.unit == "document"
    assert config.topics.k == 0 and (config.topics.k_min, config.topics.k_max) == (4, 20) and config.run.seed == 42
    assert len(describe()) == sum(len(section) for section in config.to_dict().values())


def test_unknown_key_is_an_error_naming_it(tmp_path):
    path = tmp_path / "textmine.toml"
    path.write_text("[topics]\nkk = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown config key 'topics.kk'"):
        load_config(config_file=path)
    path.write_text("[topic]\nk = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown config section \[topic\]"):
        load_config(config_file=path)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("topics.k", -1, "The 'topics.k' option must be >= 0. Got -1 instead."),
        ("topics.k_min", 1, "The 'topics.k_min' option must be >= 2. Got 1 instead."),
        ("topics.k", "8", "The 'topics.k' option must be an int. Got '8' instead."),
        ("topics.max_df", 1.5, "The 'topics.max_df' option must be between 0.0 and 1.0. Got 1.5 instead."),
        ("segment.hmm", 1, "The 'segment.hmm' option must be true or false. Got 1 instead."),
        (
            "network.unit",
            "chapter",
            "The 'network.unit' option must be one of 'document', 'paragraph', 'sentence', 'article', 'window'. Got 'chapter' instead.",
        ),
        (
            "segment.stopwords",
            "a.txt",
            "The 'segment.stopwords' option must be a list of strings. Got 'a.txt' instead.",
        ),
    ],
)
def test_invalid_values_are_explained(key, value, message):
    with pytest.raises(ConfigError) as info:
        load_config(overrides={key: value})
    assert str(info.value) == message


def test_precedence_corpus_file_then_config_file_then_overrides(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "textmine.toml").write_text("[topics]\nk = 5\npasses = 3\n[run]\nseed = 7\n", encoding="utf-8")
    extra = tmp_path / "extra.toml"
    extra.write_text("[topics]\nk = 6\n", encoding="utf-8")
    config = load_config(corpus=corpus, config_file=extra, overrides={"run.seed": 9})
    assert (config.topics.k, config.topics.passes, config.run.seed) == (6, 3, 9)


def test_paths_in_a_file_are_relative_to_that_file(tmp_path):
    (tmp_path / "lists").mkdir()
    path = tmp_path / "lists" / "textmine.toml"
    path.write_text('[segment]\nstopwords = ["mine.txt"]\n', encoding="utf-8")
    assert load_config(config_file=path).segment.stopwords == [str(tmp_path / "lists" / "mine.txt")]


def test_int_accepted_where_a_number_is_expected():
    assert load_config(overrides={"compare.prior_scale": 500}).compare.prior_scale == 500.0


def test_toml_round_trip():
    config = load_config(overrides={"topics.k": 12, "report.title": 'A "quoted" title'})
    assert tomllib.loads(to_toml(config)) == config.to_dict()
    # a title pasted with a line break or a control character: TOML's basic strings must escape them
    odd = load_config(overrides={"report.title": "北京\n上海\x01\t「深圳」\\"})
    assert tomllib.loads(to_toml(odd)) == odd.to_dict()  # was: a newline written raw, TOML no one can read


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("network.periods", ["2016-2015"], "network.periods: the band '2016-2015' ends before it starts"),
        ("corpus.periods", ["2016-", "2018-2020"], "corpus.periods: the bands '≥2016' and '2018-2020' overlap"),
        ("corpus.group_by", "city++year", "corpus.group_by: expected a column or columns joined by '+'"),
        ("topics.k_min", 12, "topics.k_min (12) is larger than topics.k_max (8)"),
        (
            "run.scheduler",
            "localhost",
            "run.scheduler must be a Dask scheduler's address, like tcp://10.0.0.5:8786. Got 'localhost'",
        ),
    ],
)
def test_settings_that_parse_further_fail_as_the_config_loads(key, value, message):
    # was: when their stage began (network.periods, the K range) or at discovery (the corpus's)
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(overrides={"topics.k_max": 8, key: value})
    assert (
        load_config(overrides={"topics.k": 6, "topics.k_min": 12, "topics.k_max": 8}).topics.k == 6
    )  # K fixed: no range


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("network.periods", ["2016"], None),  # well formed; what it holds is the data's business
        ("corpus.select", ["人才>=x"], "The 'corpus.select' rules take 'TERM>=N' or 'dimension:NAME'"),
        ("corpus.select", ["dimension:nosuch"], "nosuch"),
    ],
)
def test_settings_read_at_later_stages_fail_before_any_file_is_read(tmp_path, monkeypatch, key, value, message):
    """A typo in a setting that only a later stage parses fails at once, not minutes into a run."""
    import textmine

    from conftest import make_corpus

    monkeypatch.setenv("TEXTMINE_CACHE", str(tmp_path / "cache"))
    corpus = make_corpus(tmp_path / "c", ["bj0114"])
    overrides = {"run.progress": False, "topics.k_max": 8, key: value}
    config = load_config(corpus=corpus, overrides=overrides)
    monkeypatch.setattr("textmine.workflow.pipeline.extract_corpus", lambda *a, **k: pytest.fail("a file was read"))
    if message is None:
        with pytest.raises(pytest.fail.Exception, match="a file was read"):
            textmine.run(corpus, output=tmp_path / "out", config=config)
        return
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")) as caught:
        textmine.run(corpus, output=tmp_path / "out", config=config)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("old", "new", "value"), [("extract.workers", "run.workers", 2), ("extract.cache", "run.cache", False)]
)
def test_keys_that_moved_to_run_are_refused_under_their_old_name(tmp_path, old, new, value):
    section, key = old.split(".")
    path = tmp_path / "textmine.toml"
    path.write_text(f"[{section}]\n{key} = {str(value).lower()}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config_file=path)
    assert str(caught.value) == (
        f"{path}: '{old}' is now '{new}' (it governs every stage, not extraction alone); "
        f"write it in [run] as {new.split('.')[1]} = {str(value).lower()}"
    )
    assert getattr(load_config(overrides={new: value}).run, new.split(".")[1]) == value
