"""wixloc.toml: the template init writes, validation, and the environment over the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from wixloc.checks.config import _SETTERS
from wixloc.checks.config import load_config as load_check_config
from wixloc.config import SCHEMA, load_config, render_config
from wixloc.errors import ConfigError, LanguageError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "wixloc.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_template_reads_back(tmp_path: Path) -> None:
    path = write(tmp_path, render_config(sandbox=True, fmt="xliff", languages=["en", "de", "he"]))
    config = load_config(path, env={})
    assert config.sandbox is True
    assert config.format == "xliff"
    assert config.languages == ["en", "de", "he"]
    assert config.dir == tmp_path.resolve() / "translations"
    assert config.only == "changed"
    assert config.check["min_coverage"] == 100
    assert config.state_dir == tmp_path.resolve() / ".wixloc"


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, render_config(sandbox=False, site_id="file-site"))
    env = {"WIX_SITE_ID": "env-site", "WIX_API_URL": "http://127.0.0.1:9"}
    config = load_config(path, env=env)
    assert (config.site_id, config.api_url) == ("env-site", "http://127.0.0.1:9")


def test_the_api_key_is_never_in_the_file() -> None:
    assert "WIX_API_KEY" in render_config(sandbox=False)
    assert "key =" not in render_config(sandbox=False)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[translators]\nformat = "doc"\n',
            "[translators] format = 'doc' is not one of po, xliff, xliff2, xlsx",
        ),
        ("[site]\nsandbox = 1\n", "[site] sandbox must be true or false, not 1"),
        (
            '[languages]\nlanguages = ["en"]\n',
            "[languages] languages needs the main language and at least one more",
        ),
        ("[site\n", "not valid TOML: "),
    ],
)
def test_bad_values_are_named(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path, env={})
    assert str(err.value).startswith(f"{path}: {message}")


def test_a_bad_language_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, '[languages]\nlanguages = ["en", "xx"]\n')
    with pytest.raises(LanguageError, match="'xx' is not a language tag"):
        load_config(path, env={})


def test_missing_file_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(
        ConfigError, match=r"no wixloc.toml here or in a parent folder \(run 'wixloc init'"
    ):
        load_config(env={})


def test_the_template_says_what_min_coverage_holds_back() -> None:
    # push leaves coverage to the CI gate: tests/test_workflow.py pushes a language at 64.9 %
    # under this template's min_coverage = 100
    text = render_config(sandbox=True)
    comment = text.split("[check]\n", 1)[1].split("min_coverage = 100\n", 1)[0]
    assert comment == (
        "# `wixloc check --config wixloc.toml` (the CI gate) fails when a language is below this\n"
        "# coverage, in percent. `wixloc push` sends what is translated so far at any coverage; it\n"
        "# stops only for errors in the translations it sends.\n"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[translators]\nformt = "xliff"\n',
            "unknown key 'translators.formt' (did you mean 'format'?)",
        ),
        ("[site]\nbogus = 1\n", "unknown key 'site.bogus' (known keys: api_url, id, sandbox)"),
        ("[chek]\nmin_coverage = 90\n", "unknown table [chek] (did you mean [check]?)"),
        (
            "[stuff]\nx = 1\n",
            "unknown table [stuff] (the tables are [site], [languages], [translators], [check])",
        ),
        ("sandbox = true\n", "unknown key 'sandbox' (did you mean 'sandbox' under [site]?)"),
        (
            "bogus = 1\n",
            "unknown key 'bogus' (every key belongs in a table: "
            "[site], [languages], [translators], [check])",
        ),
        (
            "[check]\nmin_coverge = 90\n",
            "unknown key 'check.min_coverge' (did you mean 'min_coverage'?)",
        ),
        ("[translators]\nreuse = 'yes'\n", "[translators] reuse must be true or false, not 'yes'"),
        ("site = 1\n", "[site] must be a table"),
    ],
)
def test_the_whole_file_is_checked_against_the_schema(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path, env={})
    assert str(err.value) == f"{path}: {message}"


def test_check_config_reads_the_same_schema(tmp_path: Path) -> None:
    # `wixloc check --config` reads only [check], but a typo elsewhere in the file is an error too
    path = write(tmp_path, '[translators]\nformt = "xliff"\n[check]\nmin_coverage = 90\n')
    with pytest.raises(ConfigError) as err:
        load_check_config(path)
    assert str(err.value) == f"{path}: unknown key 'translators.formt' (did you mean 'format'?)"
    assert load_check_config(write(tmp_path, "[check]\nmin_coverage = 90\n")).min_coverage == 90


def test_the_schema_knows_every_check_setting() -> None:
    assert sorted(SCHEMA["check"]) == sorted(_SETTERS)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[check.severity]\nunchnged = "error"\n',
            "check.severity: unknown rule 'unchnged' (did you mean 'unchanged'?)",
        ),
        (
            '[check]\nignore = ["url-mismatsh"]\n',
            "check.ignore: unknown rule 'url-mismatsh' (did you mean 'url-mismatch'?)",
        ),
        (
            '[check]\nrules = ["zzz"]\n',
            "check.rules: unknown rule 'zzz' (known rules: missing-language, missing-translation, ",
        ),
    ],
)
def test_an_unknown_rule_suggests_the_closest(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_check_config(path)
    assert str(err.value).startswith(f"{path}: {message}")
