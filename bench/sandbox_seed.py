"""How long seeding the sandbox takes as the number of items grows (issue 15: it must be linear).

    python bench/sandbox_seed.py                     # 10,000, 50,000 and 100,000 items
    python bench/sandbox_seed.py --items 200000

Writes a seed file of one collection with N items (two translatable fields in three languages),
then times :func:`wixloc.sandbox.load_seed` into a fresh SQLite file, once per size. Linear
seeding shows as a constant time per 1,000 items.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from wixloc.sandbox import Store, load_seed


def write_seed(path: Path, items: int) -> None:
    collection = {
        "id": "Products",
        "displayName": "Products",
        "fields": [
            {"key": "title", "type": "TEXT", "translatable": True},
            {"key": "description", "type": "RICH_TEXT", "translatable": True},
            {"key": "price", "type": "NUMBER"},
        ],
        "items": [
            {
                "_id": f"item-{n:07d}",
                "_createdDate": "2026-03-01T10:00:00.000Z",
                "_updatedDate": "2026-03-01T10:00:00.000Z",
                "_owner": "owner",
                "title": {"en": f"Title {n}", "de": f"Titel {n}", "fr": f"Titre {n}"},
                "description": {"en": f"<p>Item number {n}</p>"},
                "price": n % 100,
            }
            for n in range(items)
        ],
    }
    site = {"id": "site-1", "name": "bench", "primaryLocale": "en", "locales": ["en", "de", "fr"]}
    path.write_text(json.dumps({"site": site, "collections": [collection]}), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", default="10000,50000,100000", help="comma-separated sizes")
    sizes = [int(x) for x in parser.parse_args().items.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            seed = Path(folder) / f"seed-{size}.json"
            write_seed(seed, size)
            store = Store(Path(folder) / f"sandbox-{size}.db")
            start = time.perf_counter()
            load_seed(store, seed)
            seconds = time.perf_counter() - start
            store.close()
            print(f"{size:>8} items: {seconds:7.2f} s  ({seconds / size * 1000:.3f} s per 1,000)")


if __name__ == "__main__":
    main()
