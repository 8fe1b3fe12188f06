"""The consistency rules' compact notes give the findings the plain grouping gives."""

from __future__ import annotations

import random
from array import array
from pathlib import Path

import pytest

from wixloc.checks import consistency
from wixloc.checks.consistency import Consistency, Inconsistent, _runs, _Texts, source_hashes
from wixloc.checks.pairs import has_words

Pair = tuple[tuple[str, ...], int | None, str, str]


def _plain(pairs: list[Pair]) -> list[Inconsistent]:
    """The rules as written in docs/check.md: group by the stripped text, in order of first
    appearance; a group whose other side varies is one finding at its first entry."""
    found = []
    for code, by, other in (("inconsistent-translation", 2, 3), ("inconsistent-source", 3, 2)):
        groups: dict[str, list[Pair]] = {}
        for pair in pairs:
            groups.setdefault(str(pair[by]).strip(), []).append(pair)
        for text, group in groups.items():
            variants: dict[str, int] = {}
            for pair in group:
                shown = str(pair[other]).strip()
                variants[shown] = variants.get(shown, 0) + 1
            if len(group) < 2 or not has_words(text) or len(variants) < 2:
                continue
            key, line, source, target = group[0]
            related = tuple((p[0], p[1], str(p[other])) for p in group[1:])
            message = consistency._message(code, variants)
            found.append(Inconsistent(code, key, line, source, target, message, related))
    return found


def _pairs(n: int, seed: int) -> list[Pair]:
    rng = random.Random(seed)
    sources = ["Sale", " Sale", "Cart", "Buy now", "5", "Größe", "カート", "שלום", "a\ud800b"]
    targets = ["Angebot", "Angebot ", "Rabatt", "Warenkorb", "5", "Kaufen", "カート", "x\udcffy"]
    out: list[Pair] = []
    for i in range(n):
        source = rng.choice(sources) if rng.random() < 0.3 else f"source {i}"
        target = rng.choice(targets) if rng.random() < 0.3 else f"Ziel {i}"
        out.append((("c", str(i)), i + 2 if i % 7 else None, source, target))
    return out


def _found(pairs: list[Pair]) -> list[Inconsistent]:
    notes = Consistency()
    for pair in pairs:
        notes.note(*pair)
    return notes.findings(has_words, translation=True, source=True)


@pytest.mark.parametrize("n", [0, 1, 3, 511, 512, 513, 1500])
def test_the_same_findings_as_the_plain_grouping(n: int) -> None:
    pairs = _pairs(n, seed=n)
    assert _found(pairs) == _plain(pairs)


def test_texts_that_merely_share_a_hash_are_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    pairs = _pairs(1200, seed=7)
    monkeypatch.setattr(consistency, "_crc", lambda data: len(data) % 3)
    assert _found(pairs) == _plain(pairs)


@pytest.mark.parametrize("spooled", [False, True])
@pytest.mark.parametrize("cuts", [[1], [511, 512, 513], [100, 700, 701, 1400]])
def test_the_notes_of_parts_put_together_give_the_same_findings(
    cuts: list[int], spooled: bool, tmp_path: Path
) -> None:
    """Each part's notes end in a short block of their own (compressed, or a file in the
    spool folder, as in a worker process); read back across the blocks."""
    pairs = _pairs(1500, seed=11)
    whole = Consistency()
    for start, end in zip([0, *cuts], [*cuts, len(pairs)], strict=True):
        part = Consistency(str(tmp_path) if spooled else None)
        for pair in pairs[start:end]:
            part.note(*pair)
        if end < len(pairs):
            part.targets.seal()  # as a worker sends it; the last one is sealed by extend
        whole.extend(part)
    assert len(whole.targets) == len(pairs)
    assert _found(pairs) == _plain(pairs)
    assert whole.findings(has_words, translation=True, source=True) == _plain(pairs)
    files = sorted(tmp_path.iterdir())
    assert len(files) == (len(cuts) + 1 if spooled else 0)  # a file per part, nothing else
    assert all(isinstance(block, str) for block in whole.targets.blocks) == spooled


def test_texts_spooled_where_no_file_can_be_written_are_kept_compressed(tmp_path: Path) -> None:
    texts = _Texts(str(tmp_path / "gone"))  # the folder is not there
    made = [f"text {n} Grüße" for n in range(700)]
    texts.extend_data([text.encode() for text in made])
    texts.seal()
    assert [type(block) for block in texts.blocks] == [bytes]
    assert texts.read(list(range(700))) == dict(enumerate(made))


def test_only_the_asked_rules() -> None:
    pairs = _pairs(600, seed=3)
    notes = Consistency()
    for pair in pairs:
        notes.note(*pair)
    found = notes.findings(has_words, translation=False, source=True)
    assert found == [f for f in _plain(pairs) if f.code == "inconsistent-source"]
    assert found


@pytest.mark.parametrize("spooled", [False, True])
def test_texts_read_back_exactly_across_blocks(spooled: bool, tmp_path: Path) -> None:
    texts = _Texts(str(tmp_path) if spooled else None)
    made = [
        ["", "a", "Grüße", "日本語", "\U0001f600 x", "lone \ud800 surrogate", " spaced "][n % 7]
        * (n % 5)
        for n in range(3 * _Texts._BLOCK + 7)
    ]
    for text in made:
        texts.extend_data([text.encode("utf-8", "surrogatepass")])
    assert len(texts) == len(made)
    wanted = [0, 1, 5, _Texts._BLOCK - 1, _Texts._BLOCK, 2 * _Texts._BLOCK + 3, len(made) - 1]
    assert texts.read(wanted) == {i: made[i] for i in wanted}
    assert texts.read(list(range(len(made)))) == dict(enumerate(made))
    texts.seal()
    assert texts.read(wanted) == {i: made[i] for i in wanted}
    assert len(list(tmp_path.iterdir())) == (1 if spooled else 0)  # one file: one seal


def test_runs_are_the_pairs_of_each_shared_hash_in_order() -> None:
    hashes = array("q", [5, -1, 5, 7, 2, -1, 5, 9, 2])
    assert sorted(_runs(hashes)) == [[0, 2, 6], [1, 5], [4, 8]]
    assert list(_runs(array("q", [1, 2, 3]))) == []
    assert list(_runs(array("q"))) == []


@pytest.mark.parametrize("cuts", [[], [1], [511, 512, 513], [100, 700, 701, 1400], [1499]])
def test_pairs_noted_a_batch_at_a_time_are_noted_as_one_by_one(cuts: list[int]) -> None:
    """note_all (what the engine calls for each batch) holds what note gives, the same bytes
    in the same blocks, and so the same findings; batches end anywhere in a block."""
    pairs = _pairs(1500, seed=5)
    one_by_one, batched = Consistency(), Consistency()
    for pair in pairs:
        one_by_one.note(*pair)
    for start, end in zip([0, *cuts], [*cuts, len(pairs)], strict=True):
        batch = pairs[start:end]
        sources = [source for _, _, source, _ in batch]
        batched.note_all(
            [key for key, _, _, _ in batch],
            [line for _, line, _, _ in batch],
            sources,
            source_hashes(sources),
            [target for _, _, _, target in batch],
        )
    for name in ("keys", "lines", "sources", "source_hashes", "target_hashes"):
        assert getattr(batched, name) == getattr(one_by_one, name)
    texts, expected = batched.targets, one_by_one.targets
    assert (texts.blocks, texts.firsts, texts.ends) == (
        expected.blocks,
        expected.firsts,
        expected.ends,
    )
    assert (texts.pending, texts.size, texts.count) == (
        expected.pending,
        expected.size,
        expected.count,
    )
    found = batched.findings(has_words, translation=True, source=True)
    assert found == _plain(pairs) and found
