"""Wix rich content (Ricos) cells: one translator segment per text-bearing node, rebuilt exactly.

A ``RICH_CONTENT`` field holds a whole Ricos document per language: JSON, a tree of nodes, each
with a ``type`` and (usually) a unique ``id``; text sits in ``TEXT`` leaves whose
``textData.decorations`` say BOLD, ITALIC, LINK and so on. Translators must never see that JSON.

:func:`segments` cuts a document into :class:`Segment`\\ s: one per block whose children are
TEXT leaves (a paragraph, a heading, a list item's paragraph, a code block), and one per
translatable attribute (an image's ``altText`` and ``caption``). A block's segment is readable
markup: each run of text is wrapped in tags for its decorations (``<b>``, ``<i>``, ``<u>``,
``<s>``, ``<sup>``, ``<sub>``, ``<a href="...">``; any other decoration a ``<span data-ricos=...>``),
so the translator formats carry them as inline codes (XLIFF) or tags a reviewer can read (PO, XLSX).
Text that looks like markup is escaped (``<`` as ``&lt;``, ``&`` as ``&amp;``).

:func:`rebuild` takes the source document and a translation per segment id and gives the
translated document: every node id, type and non-text attribute as in the source, each block's
TEXT leaves made anew from the translated markup, each with exactly the decorations (all their
data: colours, link targets) of the source run that had the same tags. A translation whose tags
are not the source's tags (a tag dropped, added or mistyped) is refused, naming the segment.

Segment ids are the block's ``id``; a block without one is addressed by its path of child
indexes (``n0.2.1``); an attribute segment adds ``:alt`` or ``:caption``.

Around split and merge, a table's Ricos cells are handled as segments: :func:`expand` replaces
each entry whose main-language text is a document by one entry per segment, keyed by the
entry's key with ``#`` and the segment id added to its last value (:func:`segment_key`), its
other languages the same segment of their documents; :func:`collapse` rebuilds each document
from the merged segments. Split, pull, convert and the check engine expand;
:func:`wixloc.roundtrip.files.merge_rich` is merge between the two (docs/formats/rich-content.md).
"""

from __future__ import annotations

import copy
import html
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from wixloc.errors import MergeError
from wixloc.formats import markup
from wixloc.model import Entry, Key, Language, Table, format_key

__all__ = [
    "SEPARATOR",
    "Segment",
    "collapse",
    "expand",
    "expand_entries",
    "expand_previous",
    "is_ricos",
    "rebuild",
    "segment_key",
    "segments",
    "split_segment_key",
]

Node = dict[str, Any]

# Decoration type -> the tag it is shown as (LINK is an <a href> built from its data).
_TAGS = {
    "BOLD": "b",
    "ITALIC": "i",
    "UNDERLINE": "u",
    "STRIKETHROUGH": "s",
    "SUPERSCRIPT": "sup",
    "SUBSCRIPT": "sub",
}
_ATTRIBUTES = {"IMAGE": ("imageData", ("altText", "caption"))}
_SHORT = {"altText": "alt", "caption": "caption"}


@dataclass(frozen=True)
class Segment:
    """One piece of a document for translators: its id and its text as markup."""

    id: str
    text: str
    kind: str  # the node type it comes from: PARAGRAPH, HEADING, IMAGE ...


def is_ricos(text: str) -> bool:
    """True if *text* is a Ricos document (a JSON object with a list of typed nodes)."""
    if not text.startswith("{") or '"nodes"' not in text:
        return False
    try:
        doc = json.loads(text)
    except ValueError:
        return False
    nodes = doc.get("nodes") if isinstance(doc, dict) else None
    return isinstance(nodes, list) and all(isinstance(n, dict) and "type" in n for n in nodes)


def segments(text: str) -> list[Segment]:
    """The translatable segments of the Ricos document *text*, in reading order."""
    doc = _load(text)
    found: list[Segment] = []
    for node, path in _walk(doc["nodes"], "n"):
        ident = _ident(node, path)
        rendered = _render(_text_children(node))
        if rendered.strip():  # an empty paragraph is layout, not text
            found.append(Segment(ident, rendered, str(node["type"])))
        for name, value in _attributes(node):
            if value.strip():
                found.append(Segment(f"{ident}:{_SHORT[name]}", value, str(node["type"])))
    return found


def rebuild(text: str, translations: Mapping[str, str]) -> str:
    """The document *text* with each segment id in *translations* replaced by its translation.

    Segments not named keep their source text. The JSON is written compactly, keys in the
    source's order; nothing but the translated text changes.
    """
    doc = _load(text)
    unused = set(translations)
    for node, path in _walk(doc["nodes"], "n"):
        ident = _ident(node, path)
        children = _text_children(node)
        if children and ident in translations:
            node["nodes"] = _leaves(ident, children, translations[ident])
            unused.discard(ident)
        for name, _ in _attributes(node):
            key = f"{ident}:{_SHORT[name]}"
            if key in translations:
                node[_ATTRIBUTES[node["type"]][0]][name] = translations[key]
                unused.discard(key)
    if unused:
        raise MergeError(f"the document has no segment {sorted(unused)[0]!r}")
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


# --- reading ---------------------------------------------------------------------------------


def _load(text: str) -> Node:
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise MergeError(f"not a Ricos document: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("nodes"), list):
        raise MergeError("not a Ricos document: no list of nodes")
    return doc


def _walk(nodes: list[Any], path: str) -> Iterator[tuple[Node, str]]:
    for index, node in enumerate(nodes):
        if not isinstance(node, dict):
            continue
        here = f"{path}.{index}" if path != "n" else f"n{index}"
        yield node, here
        children = node.get("nodes")
        if isinstance(children, list) and node.get("type") != "TEXT":
            yield from _walk(children, here)


def _ident(node: Node, path: str) -> str:
    ident = node.get("id")
    return ident if isinstance(ident, str) and ident else path


def _text_children(node: Node) -> list[Node]:
    children = node.get("nodes")
    if node.get("type") == "TEXT" or not isinstance(children, list) or not children:
        return []
    if all(isinstance(c, dict) and c.get("type") == "TEXT" for c in children):
        return children
    return []


def _attributes(node: Node) -> Iterator[tuple[str, str]]:
    spec = _ATTRIBUTES.get(str(node.get("type")))
    if spec is None:
        return
    data = node.get(spec[0])
    if isinstance(data, dict):
        for name in spec[1]:
            value = data.get(name)
            if isinstance(value, str):
                yield name, value


# --- runs as markup ----------------------------------------------------------------------------


def _decorations(leaf: Node) -> list[Any]:
    data = leaf.get("textData")
    decorations = data.get("decorations") if isinstance(data, dict) else None
    return decorations if isinstance(decorations, list) else []


def _open_tag(decoration: Any) -> str:
    kind = str(decoration.get("type")) if isinstance(decoration, dict) else "UNKNOWN"
    if kind in _TAGS:
        return f"<{_TAGS[kind]}>"
    if kind == "LINK":
        link = (decoration.get("linkData") or {}).get("link") or {}
        url = link.get("url") if isinstance(link, dict) else None
        if isinstance(url, str):
            return f'<a href="{html.escape(url, quote=True)}">'
    return f'<span data-ricos="{html.escape(kind.lower(), quote=True)}">'


def _tags(decorations: list[Any]) -> tuple[str, ...]:
    return tuple(_open_tag(d) for d in decorations)


def _close_tag(open_tag: str) -> str:
    return f"</{open_tag[1:].split(' ', 1)[0].rstrip('>')}>"


def _signatures(leaves: list[Node]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Each leaf's decorations as tags; two different decoration sets never share tags
    (a second one is told apart with a ``data-n`` attribute on its last tag)."""
    seen: dict[tuple[str, ...], str] = {}  # tags -> the decorations' JSON
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    for leaf in leaves:
        decorations = _decorations(leaf)
        tags = _tags(decorations)
        data = json.dumps(decorations, sort_keys=True)
        n = 1
        shown = tags
        while shown in seen and seen[shown] != data:
            n += 1
            shown = (*tags[:-1], tags[-1][:-1] + f' data-n="{n}">')
        seen[shown] = data
        out[_leaf_key(leaf)] = shown
    return out


def _leaf_key(leaf: Node) -> tuple[str, ...]:
    return (json.dumps(_decorations(leaf), sort_keys=True),)


def _render(leaves: list[Node]) -> str:
    shown = _signatures(leaves)
    parts: list[str] = []
    for leaf in leaves:
        tags = shown[_leaf_key(leaf)]
        text = (leaf.get("textData") or {}).get("text", "")
        escaped = html.escape(str(text), quote=False)
        parts.append("".join(tags) + escaped + "".join(_close_tag(t) for t in reversed(tags)))
    return "".join(parts)


# --- markup back to leaves ---------------------------------------------------------------------


def _leaves(ident: str, source: list[Node], translation: str) -> list[Node]:
    shown = _signatures(source)
    by_tags = {tags: leaf for leaf in source for tags in [shown[_leaf_key(leaf)]]}
    if _codes(translation) != _codes(_render(source)):
        raise MergeError(
            f"segment {ident!r}: the translation's tags differ from the source's",
            hint="keep every tag of the source, each exactly once",
        )
    ids = _leaf_ids(source)
    leaves: list[Node] = []
    for text, tags in _chunks(ident, translation):
        template = by_tags.get(tags) or (_plain_leaf(source[0]) if not tags else None)
        if template is None:
            raise MergeError(
                f"segment {ident!r}: the tags {''.join(tags)} are nested unlike the source"
            )
        if leaves and _same_run(leaves[-1], template):
            leaves[-1]["textData"]["text"] += text
            continue
        leaf = copy.deepcopy(template)
        leaf["textData"]["text"] = text
        leaf["id"] = ids.pop(0) if ids else ""
        leaves.append(leaf)
    return leaves or [_empty_leaf(source[0])]


def _plain_leaf(template: Node) -> Node:
    """A leaf without decorations: text a translation moved out of every tag (a source run
    wholly bold may need words around it in another language)."""
    leaf = copy.deepcopy(template)
    leaf["textData"]["decorations"] = []
    return leaf


def _leaf_ids(source: list[Node]) -> list[str]:
    return [str(leaf.get("id", "")) for leaf in source]


def _same_run(previous: Node, template: Node) -> bool:
    return _decorations(previous) == _decorations(template)


def _empty_leaf(template: Node) -> Node:
    leaf = copy.deepcopy(template)
    leaf["textData"]["text"] = ""
    return leaf


def _codes(text: str) -> Counter[str]:
    return Counter(
        run.text
        for run in markup.parse(text)
        if isinstance(run, markup.Code) and run.kind is not markup.CodeKind.ENTITY
    )


def _chunks(ident: str, translation: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """The translation's text pieces, each with the tags open around it."""
    stack: list[str] = []
    for run in markup.parse(translation):
        if isinstance(run, str):
            yield run, tuple(stack)
        elif run.kind is markup.CodeKind.ENTITY:
            yield html.unescape(run.text), tuple(stack)
        elif run.kind is markup.CodeKind.OPEN:
            stack.append(run.text)
        elif run.kind is markup.CodeKind.CLOSE:
            stack.pop()
        else:
            raise MergeError(f"segment {ident!r}: the tag {run.text} has no partner")


# --- a table's Ricos cells as one entry per segment ----------------------------------------------

SEPARATOR = "#"  # field key + "#" + segment id; Wix field keys have no "#", segment ids may


def segment_key(key: Key, segment: str) -> Key:
    """The key of segment *segment* of the cell at *key*: its last value gains ``#segment``
    (``("BlogPosts", "id", "richBody")`` -> ``(..., "richBody#p1")``)."""
    return (*key[:-1], f"{key[-1]}{SEPARATOR}{segment}")


def split_segment_key(key: Key) -> tuple[Key, str]:
    """The cell's key and the segment id of a :func:`segment_key` (split at the first ``#``)."""
    field, _, segment = key[-1].partition(SEPARATOR)
    return (*key[:-1], field), segment


def expand_entries(table: Table, entries: Iterable[Entry]) -> Iterator[Entry]:
    """*entries* with each one whose main-language text is a Ricos document replaced by one
    entry per segment: the main language's segment, and each translated document's segment of
    the same id (a language without a document, or without that segment, has no text)."""
    main = table.main_language
    others = table.languages[1:]
    for entry in entries:
        source = entry.texts.get(main, "")
        if not is_ricos(source):
            yield entry
            continue
        translated = {lang: _by_id(entry.texts.get(lang, "")) for lang in others}
        for segment in segments(source):
            texts = {main: segment.text}
            for lang, parts in translated.items():
                if segment.id in parts:
                    texts[lang] = parts[segment.id]
            meta = dict(entry.meta)
            yield Entry(segment_key(entry.key, segment.id), texts, meta, entry.line, entry.lines)


def expand(table: Table) -> Table:
    """*table* with its Ricos cells as one entry per segment (:func:`expand_entries`); the
    table itself when it has none."""
    main = table.main_language
    if not any(is_ricos(entry.texts.get(main, "")) for entry in table.entries):
        return table
    out = copy.copy(table)
    out.entries = list(expand_entries(table, table.entries))
    return out


def collapse(expanded: Table, original: Table) -> Table:
    """*original*, changed in place and returned, with each Ricos cell rebuilt from the
    translated segments in *expanded* (an :func:`expand` of it, then merged into).

    A language whose segments all have no text keeps the cell it had; otherwise the document
    is the main language's with the translated segments (an untranslated one keeps the source
    text). A translation whose tags do not match its source segment is refused, naming the key
    and the segment. Entries that are no Ricos cell are taken from *expanded* as merged.
    """
    if expanded is original:
        return original
    main = original.main_language
    by_cell: dict[Key, dict[str, Entry]] = {}
    plain: dict[Key, Entry] = {}
    for entry in expanded.entries:
        cell, segment = split_segment_key(entry.key)
        if segment:
            by_cell.setdefault(cell, {})[segment] = entry
        else:
            plain[entry.key] = entry
    entries = []
    for entry in original.entries:
        source = entry.texts.get(main, "")
        if entry.key in by_cell and is_ricos(source):
            entries.append(_collapsed(entry, by_cell[entry.key], main, expanded.languages[1:]))
        else:
            entries.append(plain.get(entry.key, entry))
    original.languages = expanded.languages
    original.columns = expanded.columns
    original.entries = entries
    return original


def expand_previous(table: Table, previous: Mapping[Key, str]) -> dict[Key, str]:
    """*previous* (key -> the older source a translation was made from, as
    :meth:`wixloc.state.State.stale` gives it) for the :func:`expand` of *table*: a Ricos
    cell's segment is stale when its text differs from the same segment of the older document."""
    main = table.main_language
    out: dict[Key, str] = {}
    for entry in table.entries:
        if entry.key not in previous:
            continue
        old, source = previous[entry.key], entry.texts.get(main, "")
        if not is_ricos(source):
            out[entry.key] = old
            continue
        before = _by_id(old)
        for segment in segments(source):
            if before.get(segment.id) != segment.text:
                out[segment_key(entry.key, segment.id)] = before.get(segment.id, "")
    return out


def _by_id(text: str) -> dict[str, str]:
    return {s.id: s.text for s in segments(text)} if is_ricos(text) else {}


def _collapsed(
    entry: Entry, parts: Mapping[str, Entry], main: Language, languages: Iterable[Language]
) -> Entry:
    source = entry.texts[main]
    texts = dict(entry.texts)
    for lang in languages:
        translations = {seg: part.texts[lang] for seg, part in parts.items() if part.text(lang)}
        if not translations:
            continue
        try:
            texts[lang] = rebuild(source, translations)
        except MergeError as exc:
            raise MergeError(
                f"{format_key(entry.key)} ({lang.tag}): {exc.message}", hint=exc.hint
            ) from None
    first = next(iter(parts.values()))
    return Entry(entry.key, texts, dict(first.meta), entry.line, entry.lines)
