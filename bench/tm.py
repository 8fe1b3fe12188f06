"""Translation-memory matching: a large TM against a large pull, timed, with its peak memory.

    python bench/tm.py                       # 100,000 TM segments x 20,000 queries (the goal)
    python bench/tm.py --tm 20000 --queries 2000 --recall 100

The TM is made from ``datagen`` rows (English into German); the queries are a third TM sources
as they are (exact matches), a third TM sources with one word dropped or doubled (fuzzy
matches), and a third new texts. Reported: the time to build the memory, the time to look up
every query, the peak RSS of the process, the matches per band, and the *recall* of the
word index: for a sample of queries, how many of the best brute-force matches (rapidfuzz over
every TM text) the index finds, so the speed is not bought with missed matches unnoticed.
``--difflib`` also times difflib's ``SequenceMatcher.ratio`` against rapidfuzz's ``fuzz.ratio``
on the same pairs, in CPU time (a shared machine makes wall-clock times of short runs noisy).
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

import datagen  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402

from wixloc.tm.memory import TranslationMemory, matchable  # noqa: E402


def _segments(count: int, seed: int) -> list[tuple[str, str, str]]:
    """(key, English, German) for *count* rows with both texts."""
    found: list[tuple[str, str, str]] = []
    for row in datagen.rows(count * 2, ["en", "de"], seed=seed):
        if row[3] and row[4]:
            found.append(("|".join(row[:3]), row[3], row[4]))
            if len(found) == count:
                break
    return found


def _queries(tm: list[tuple[str, str, str]], count: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    new = _segments(count, seed + 1)
    queries: list[tuple[str, str]] = []
    for n in range(count):
        key, source, _ = rng.choice(tm)
        if n % 3 == 0:
            queries.append((key if rng.random() < 0.5 else "", source))
        elif n % 3 == 1:
            words = source.split(" ")
            at = rng.randrange(len(words))
            words[at : at + 1] = [] if len(words) > 2 and rng.random() < 0.5 else [words[at]] * 2
            queries.append(("", " ".join(words)))
        else:
            queries.append((new[n][0], new[n][1]))
    return queries


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tm", type=int, default=100_000, help="TM segments")
    parser.add_argument("--queries", type=int, default=20_000, help="keys looked up")
    parser.add_argument("--recall", type=int, default=200, help="queries checked by brute force")
    parser.add_argument("--difflib", action="store_true", help="time difflib against rapidfuzz")
    args = parser.parse_args()

    started = time.perf_counter()
    tm_rows = _segments(args.tm, seed=7)
    queries = _queries(tm_rows, args.queries, seed=11)
    made = time.perf_counter() - started
    base = _peak_mib()

    started, cpu = time.perf_counter(), time.process_time()
    memory = TranslationMemory()
    for key, source, target in tm_rows:
        memory.add("en", source, "de", target, context=key, origin="bench")
    memory.lookup("en", "warm up the index", "de")  # builds the fuzzy index
    built = time.perf_counter() - started

    started = time.perf_counter()
    bands: Counter[str] = Counter()
    results = []
    for context, source in queries:
        best = memory.best("en", source, "de", context)
        bands[best.band.value if best else "no-match"] += 1
        results.append(best)
    looked_up = time.perf_counter() - started
    cpu = time.process_time() - cpu  # the machine may be shared: CPU time shows the work alone
    report: dict[str, object] = {
        "tm_segments": len(tm_rows),
        "queries": len(queries),
        "data_seconds": round(made, 2),
        "build_seconds": round(built, 2),
        "lookup_seconds": round(looked_up, 2),
        "total_seconds": round(built + looked_up, 2),
        "total_cpu_seconds": round(cpu, 2),
        "peak_rss_mib": round(_peak_mib(), 1),
        "peak_rss_before_memory_mib": round(base, 1),
        "bands": dict(sorted(bands.items())),
    }
    report["recall"] = _recall(memory, tm_rows, queries, results, args.recall)
    if args.difflib:
        report["scorers"] = _scorers(tm_rows, queries)
    print(json.dumps(report, indent=2))


def _recall(
    memory: TranslationMemory,
    tm_rows: list[tuple[str, str, str]],
    queries: list[tuple[str, str]],
    results: list[object],
    sample: int,
) -> dict[str, object]:
    """Of the sampled queries with no exact match whose brute-force best scores 50 or more, how
    many the index found, and how many of those at the brute-force best score."""
    texts = list(dict.fromkeys(matchable(s) for _, s, _ in tm_rows))
    exact = {s for _, s, _ in tm_rows}
    rng = random.Random(3)
    picked = [q for q in rng.sample(queries, min(sample, len(queries))) if q[1] not in exact]
    started = time.perf_counter()
    expected = found = same = 0
    for context, source in picked:
        brute = process.extractOne(matchable(source), texts, scorer=fuzz.ratio, score_cutoff=50)
        if brute is None:
            continue
        expected += 1
        best = memory.best("en", source, "de", context)
        if best is not None:
            found += 1
            same += best.score >= min(int(brute[1]), 99)
    return {
        "fuzzy_queries_checked": len(picked),
        "with_a_brute_force_match": expected,
        "found_by_index": found,
        "found_at_best_score": same,
        "brute_force_seconds_per_query": round(
            (time.perf_counter() - started) / max(1, len(picked)), 3
        ),
    }


def _scorers(tm_rows: list[tuple[str, str, str]], queries: list[tuple[str, str]]) -> object:
    rng = random.Random(5)
    pairs = [(q[1], rng.choice(tm_rows)[1]) for q in queries[:2000]]
    started = time.process_time()
    rf = [fuzz.ratio(a, b) for a, b in pairs]
    rf_time = time.process_time() - started
    started = time.process_time()
    dl = [difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() * 100 for a, b in pairs]
    dl_time = time.process_time() - started
    gap = max(abs(x - y) for x, y in zip(rf, dl, strict=True))
    return {
        "pairs": len(pairs),
        "rapidfuzz_ratio_seconds": round(rf_time, 4),
        "difflib_ratio_seconds": round(dl_time, 4),
        "speedup": round(dl_time / rf_time, 1),
        "largest_score_difference": round(gap, 2),
    }


if __name__ == "__main__":
    main()
