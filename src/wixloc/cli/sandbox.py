"""``wixloc sandbox``: run the local Wix API emulator, or reset its database."""

from __future__ import annotations

import secrets
from pathlib import Path

import click

from wixloc.cli._options import FilePath
from wixloc.config import find_config, load_config
from wixloc.sandbox import Faults, make_sandbox, serve
from wixloc.site.project import STATE_DIR, Project

__all__ = ["COMMANDS"]

SERVE_DB = Path(STATE_DIR) / "sandbox-serve.db"


def default_reset_db() -> Path:
    """The database ``reset`` means without ``--db``: inside a project made with
    ``init --sandbox``, the project's own embedded sandbox (``.wixloc/sandbox.db`` beside its
    wixloc.toml, the one its commands use), else the served sandbox's ``.wixloc/sandbox-serve.db``."""
    found = find_config()
    if found is not None:
        config = load_config(found)
        if config.sandbox:
            return Project(config.root).sandbox_db
    return SERVE_DB


@click.group("sandbox")
def sandbox_group() -> None:
    """A local stand-in for the Wix Data Movement, Locales and Locale Settings APIs.

    \b
    Example:
      wixloc sandbox serve --port 8077
      wixloc sandbox reset
    """


@sandbox_group.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8077, show_default=True, help="0: any free port.")
@click.option(
    "--db",
    type=FilePath(),
    default=str(SERVE_DB),
    show_default=True,
    help="SQLite file holding the site, jobs and files (kept across restarts).",
)
@click.option(
    "--seed",
    type=FilePath(),
    help="Site file to seed an empty database (default: samples/site.json).",
)
@click.option("--reset", is_flag=True, help="Seed the database again, forgetting jobs.")
@click.option("--api-key", help="The key clients must send (default: a random one).")
@click.option("--site-id", help="Serve the seed's site under this id.")
@click.option("--account-id", help="Also accept this wix-account-id.")
@click.option(
    "--step-delay",
    type=float,
    default=0.02,
    show_default=True,
    help="Seconds between job steps (one step per row or item), so progress can be watched.",
)
@click.option("--fail-rate", type=float, default=0.0, help="Share of requests answered 503.")
@click.option("--latency", type=float, default=0.0, help="Seconds added to every request.")
@click.option("--burst-429", type=int, default=0, help="Answer the first N requests with 429.")
@click.option(
    "--webhook-url",
    metavar="URL",
    help="POST Job Created / Updated / Deleted events here (plain JSON, unsigned).",
)
def serve_cmd(
    host: str,
    port: int,
    db: str,
    seed: str | None,
    reset: bool,
    api_key: str | None,
    site_id: str | None,
    account_id: str | None,
    step_delay: float,
    fail_rate: float,
    latency: float,
    burst_429: int,
    webhook_url: str | None,
) -> None:
    """Serve the sandbox over HTTP until Ctrl+C, printing the settings to use.

    \b
    Example:
      wixloc sandbox serve --port 8077 --api-key test-key
      export WIX_API_URL=http://127.0.0.1:8077 WIX_API_KEY=test-key WIX_SITE_ID=...
      wixloc export -o content.csv
    """
    key = api_key or secrets.token_urlsafe(16)
    app = make_sandbox(
        db,
        api_key=key,
        seed=seed,
        reset=reset,
        site_id=site_id,
        account_id=account_id,
        step_delay=step_delay,
        faults=Faults(fail_rate, latency, burst_429),
        webhook_url=webhook_url,
    )
    server = serve(app, host, port)
    url = f"http://{host}:{server.server_port}"
    click.echo(f"Wix sandbox serving {url} (database {db})")
    click.echo(f"  export WIX_API_URL={url}")
    click.echo(f"  export WIX_API_KEY={key}")
    click.echo(f"  export WIX_SITE_ID={app.store.sites()[0].id}")
    if webhook_url:
        click.echo(f"Job events go to {webhook_url} (plain JSON, unsigned).")
    click.echo("Press Ctrl+C to stop.")
    try:
        server.serve_forever()
    finally:
        server.server_close()


@sandbox_group.command("reset")
@click.option(
    "--db",
    type=FilePath(),
    help="The database to reset (default: the project's .wixloc/sandbox.db in an "
    "'init --sandbox' project, else .wixloc/sandbox-serve.db).",
)
@click.option(
    "--seed",
    type=FilePath(),
    help="Site file to seed from (default: samples/site.json).",
)
def reset_cmd(db: str | None, seed: str | None) -> None:
    """Seed the sandbox database again: the sample site, no jobs, no files.

    \b
    Example:
      wixloc sandbox reset                 # in an 'init --sandbox' project: its sandbox
      wixloc sandbox reset --db .wixloc/sandbox-serve.db
    """
    path = Path(db) if db is not None else default_reset_db()
    app = make_sandbox(path, api_key="unused", seed=seed, reset=True)
    sites = app.store.sites()
    click.echo(f"Reset {_shown(path)}: site {sites[0].id} ({', '.join(sites[0].locales)}).")


def _shown(path: Path) -> str:
    """*path* relative to the working folder when it is inside it (as the user typed it)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


COMMANDS = [sandbox_group]
