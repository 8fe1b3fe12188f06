"""The one way to build a client: the embedded sandbox under a project, or a real site whose
settings come from wixloc.toml and the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from wixloc.config import DEFAULT_API_URL, Config
from wixloc.errors import ConfigError
from wixloc.site.connect import SANDBOX_URL, client_for, open_client
from wixloc.site.project import Project

KEY = {"WIX_API_KEY": "k-123"}


def test_a_sandbox_config_opens_the_projects_sandbox(tmp_path: Path) -> None:
    with client_for(Config(tmp_path, sandbox=True), env={}) as client:
        assert client.base_url == SANDBOX_URL
        assert client.site_languages() == ["en", "de", "fr", "he", "ja"]
    assert Project(tmp_path).sandbox_db.is_file()


def test_the_config_fills_in_what_the_environment_leaves_unset(tmp_path: Path) -> None:
    config = Config(tmp_path, site_id="site-from-toml", api_url="https://api.example.invalid")
    with client_for(config, env=KEY) as client:
        assert (client.site_id, client.base_url) == (
            "site-from-toml",
            "https://api.example.invalid",
        )
    env = {**KEY, "WIX_SITE_ID": "site-from-env", "WIX_API_URL": "https://env.example.invalid"}
    with client_for(config, env=env) as client:
        assert (client.site_id, client.base_url) == ("site-from-env", "https://env.example.invalid")


def test_a_config_without_settings_is_the_environment_alone(tmp_path: Path) -> None:
    # what the commands with --sandbox and no wixloc.toml build
    with client_for(Config(Path(".")), env={**KEY, "WIX_ACCOUNT_ID": "acc"}) as client:
        assert (client.site_id, client.account_id) == (None, "acc")
        assert client.base_url == DEFAULT_API_URL


def test_the_key_only_comes_from_the_environment(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        client_for(Config(tmp_path, site_id="s"), env={})
    assert str(caught.value) == (
        "WIX_API_KEY is not set (create an API key with the 'Manage Data Movement Jobs' "
        "permission, or use --sandbox)"
    )


def test_open_client_is_the_seam_below(tmp_path: Path) -> None:
    with open_client(sandbox=True, root=tmp_path) as client:
        assert client.base_url == SANDBOX_URL
    with open_client(env={**KEY, "WIX_SITE_ID": "s"}) as client:
        assert client.site_id == "s"
