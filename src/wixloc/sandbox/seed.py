"""Seeding the sandbox from a site file (``samples/site.json`` by default).

The file: ``{"site": {id, name, primaryLocale, locales}, "collections": [{id, displayName,
fields: [{key, type, translatable}], items: [{_id, _createdDate, _updatedDate, _owner, ...}]}]}``.
A file may also hold ``"sites": [{"site": ..., "collections": ...}, ...]`` for several sites.
"""

from __future__ import annotations

import importlib.resources
import json
from pathlib import Path
from typing import Any

from wixloc.errors import InputError
from wixloc.sandbox.store import Collection, Field, Site, Store

__all__ = ["default_seed", "load_seed", "read_seed", "samples_dir"]


def samples_dir() -> Path | None:
    """The samples: in a wheel ``wixloc/_samples``, else the repo's ``samples/`` (editable)."""
    packaged = importlib.resources.files("wixloc") / "_samples"
    if packaged.is_dir():
        return Path(str(packaged))
    repo = Path(__file__).resolve().parents[3] / "samples"
    return repo if repo.is_dir() else None


def default_seed() -> Path:
    """``samples/site.json``, or an InputError saying it is missing."""
    folder = samples_dir()
    path = folder / "site.json" if folder is not None else None
    if path is None or not path.is_file():
        raise InputError(
            "the sample site (samples/site.json) is not installed",
            hint="pass a seed file with --seed",
        )
    return path


def read_seed(path: str | Path) -> list[tuple[Site, list[tuple[Collection, list[Any]]]]]:
    """Parse a seed file into sites with their collections and items."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such file", file=path) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"not a readable JSON seed file: {exc}", file=path) from None
    try:
        parts = data.get("sites", [data])
        return [_site(part) for part in parts]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(
            f"not a seed file: missing or wrong value {exc}",
            file=path,
            hint='expected {"site": {...}, "collections": [...]}',
        ) from None


def _site(part: dict[str, Any]) -> tuple[Site, list[tuple[Collection, list[Any]]]]:
    raw = part["site"]
    primary = str(raw["primaryLocale"])
    locales = [str(loc) for loc in raw.get("locales", [primary])]
    if primary not in locales:
        locales.insert(0, primary)
    ordered = (primary, *(loc for loc in locales if loc != primary))
    site = Site(str(raw["id"]), str(raw.get("name", "")), primary, ordered)
    collections = [_collection(c) for c in part.get("collections", [])]
    return site, collections


def _collection(raw: dict[str, Any]) -> tuple[Collection, list[Any]]:
    fields = tuple(
        Field(str(f["key"]), str(f.get("type", "TEXT")), bool(f.get("translatable", False)))
        for f in raw.get("fields", [])
    )
    items = list(raw.get("items", []))
    for item in items:
        if not isinstance(item, dict) or "_id" not in item:
            raise ValueError(f"an item of {raw['id']} without _id")
    return Collection(str(raw["id"]), str(raw.get("displayName", raw["id"])), fields), items


def load_seed(store: Store, path: str | Path, *, site_id: str | None = None) -> list[Site]:
    """Replace the store's content with the seed's sites; returns them (the first: default)."""
    sites = read_seed(path)
    if site_id and sites:  # serve the first site under the id the user chose
        first, collections = sites[0]
        sites[0] = (Site(site_id, first.name, first.primary_locale, first.locales), collections)
    store.reset()
    for site, collections in sites:
        store.add_site(site)
        for collection, items in collections:
            store.add_collection(site.id, collection)
            store.add_items(site.id, collection.id, items)
    return [site for site, _ in sites]
