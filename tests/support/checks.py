"""Tables for the check tests: sound rows of every tricky kind and one planted defect per rule."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from wixloc.checks import CheckConfig
from wixloc.checks.spelling import find_dictionary
from wixloc.model import fingerprint
from wixloc.state import State

HEADER = ["Collection ID", "Item ID", "Field", "Max Length", "de", "en", "fr", "he", "xx-YY"]


def _row(item: str, field: str, de: str, en: str, fr: str, he: str, limit: str = "") -> list[str]:
    return ["Products", item, field, limit, de, en, fr, he, ""]


# Sound rows: none of them may give a finding. Lines 2-19: the row "lines" spans lines 14-18
# (four cells with a line break each).
SOUND = [
    _row("p-1", "title", "Hallo {name}", "Hello {name}", "Bonjour {name}", "שלום {name}"),
    _row(
        "p-1",
        "link",
        '<a href="{url}" title="Öffnen">Hallo {name}</a>',
        '<a href="{url}" title="Open">Hi {name}</a>',
        '<a href="{url}" title="Ouvrir">Salut {name}</a>',
        '<a href="{url}" title="פתח">שלום {name}</a>',
    ),
    _row(
        "p-1",
        "sure",
        "100%% sicher, %s und %(n)s",
        "100%% sure, %s and %(n)s",
        "Sûr à 100%%, %s et %(n)s",
        "בטוח ב-100%%, %s ו-%(n)s",
    ),
    _row(
        "p-1",
        "prose",
        "Benutze geschweifte Klammern",
        "Use { and } for groups",
        "Utilisez { et } pour les groupes",
        "השתמשו בסוגריים",
    ),
    _row(
        "p-1",
        "body",
        "<p>Ein <b><i>fettes</i></b> Wort<br>neu &amp; mehr</p>",
        "<p>A <b><i>bold</i></b> word<br/>new &amp; more</p>",
        "<p>Un mot <b><i>gras</i></b><br />nouveau & plus</p>",
        "<p>מילה <b><i>מודגשת</i></b><br/>חדש &amp; עוד</p>",
    ),
    _row(
        "p-1",
        "order",
        "<i>y</i> und <b>x</b>",
        "<b>x</b> and <i>y</i>",
        "<b>x</b> et <i>y</i>",
        "<b>x</b> ו-<i>y</i>",
    ),
    _row(
        "p-1",
        "img",
        '<img src="mug.png" alt="Becher">',
        '<img src="mug.png" alt="Mug">',
        '<img src="mug.png" alt="Tasse"/>',
        '<img src="mug.png" alt="ספל">',
    ),
    _row("p-1", "brand", "Wix", "Wix", "Wix", "Wix"),
    _row("p-1", "year", "2024", "2024", "2024", "2024"),
    _row("p-1", "site", "https://wix.com", "https://wix.com", "https://wix.com", "https://wix.com"),
    _row("p-1", "count", "{count}", "{count}", "{count}", "{count}"),
    _row("p-1", "sale", "50 % Rabatt", "50% off", "50 % de remise", "50% הנחה"),
    _row(
        "p-1",
        "lines",
        "Zeile eins\nZeile zwei",
        "Line one\nLine two",
        "Ligne un\nLigne deux",
        "שורה אחת\nשורה שתיים",
    ),
    _row("p-1", "empty", "", "", "", ""),
]

# One planted defect per row, from line 20 on (the row "lines" spans lines 24-27).
DEFECTS = [
    _row("p-2", "title", "Hallo {nme}", "Hello {name}", "Bonjour {name}", "שלום {name}"),  # 20
    _row("p-2", "desc", "<b>Neu</b>", "<b>New</b>", "<b>Nouveau</b>", "<i>חדש</i>"),  # 21
    _row(
        "p-2",
        "help",
        "Siehe https://wix.com/help",
        "See https://wix.com/help",
        "Voir https://wix.com/aide",
        "ראו https://wix.com/help",
    ),  # 22
    _row("p-2", "total", "Summe:", "Total: ", "Total : ", "סה״כ: "),  # 23
    _row("p-2", "lines", "Eins\nZwei", "One\nTwo", "Un\nDeux", "אחת שתיים"),  # 24-27
    _row("p-2", "ship", "Versand gratis", "Free shipping", "Free shipping", "משלוח חינם"),  # 28
    _row("p-2", "short", "Kostenloser Versand", "Shipping", "Livraison", "משלוח", "10"),  # 29
    _row("p-2", "bell", "Glocke", "Bell", "Cloche\x07", "פעמון"),  # 30
    _row("p-2", "missing", "Fehlt", "Missing", "", "חסר"),  # 31
    SOUND[0],  # 32: a duplicate of line 2
    _row("p-3", "title", "Neu", "New item", "Nouveau", "חדש"),  # 33: not in the reference
    _row("p-2", "stale", "Alter Text", "New text", "Nouveau texte", "טקסט חדש"),  # 34
    # the rules of issue 19, one defect each (lines 35-47)
    _row("p-4", "price", "Nur 12,90 €", "Only €12.50", "Seulement 12,50 €", "רק 12.50 €"),
    _row(
        "p-4",
        "mail",
        "Schreiben Sie an help@wix.com",
        "Write to help@wix.com",
        "Écrivez à aide@wix.com",
        "כתבו אל help@wix.com",
    ),
    _row("p-4", "ready", "Bereit?", "Ready?", "Prêt ?", "מוכן."),
    _row("p-4", "size", "Größe (cm", "Size (cm)", "Taille (cm)", "מידה (סנטימטר)"),
    _row("p-4", "say", "Sag „hallo“", 'Say "hi"', "Dites « salut »", 'אמרו "היי'),
    _row("p-4", "returns", "Kostenlose  Rückgabe", "Free returns", "Retours gratuits", "החזרות"),
    _row("p-4", "add", "In den den Warenkorb", "Add to the cart", "Ajouter au panier", "הוסף"),
    _row("p-4", "sale", "Ausverkauf", "Sale", "Soldes", "מבצע"),  # 42
    _row("p-5", "sale", "Angebot", "Sale", "Soldes", "מבצע"),
    _row("p-4", "order", "Bestellung", "Order", "Commande", "הזמנה"),  # 44
    _row("p-4", "orders", "Bestellungen", "Orders", "Commande", "הזמנות"),
    _row("p-4", "cart", "Ihr Einkaufswagen", "Your cart", "Votre panier", "העגלה שלך"),
    _row("p-4", "gift", "Geschenkverpackkung", "Gift wrapping", "Emballage cadeau", "עטיפת מתנה"),
]

# The termbase of the planted table (--terms): "cart" is "Warenkorb" in German.
TERMS_CSV = "source,target,language,note\ncart,Warenkorb,de,\n"

# What .wixloc/state.json would say: de's translation of p-2/stale was made from "Old text";
# de's p-1/title from the current source (so it is not stale).
STATE = State(
    accepted={
        "de": {
            "Products|p-2|stale": fingerprint("Old text"),
            "Products|p-1|title": fingerprint("Hello {name}"),
        }
    }
)

# (code, key, language, line) of every planted defect, in report order.
PLANTED = [
    ("missing-language", "", "ja", 1),
    ("invalid-language", "", "", 1),
    ("main-language-order", "", "en", 1),
    ("placeholder-mismatch", "Products|p-2|title", "de", 20),
    ("markup-mismatch", "Products|p-2|desc", "he", 21),
    ("url-mismatch", "Products|p-2|help", "fr", 22),
    ("whitespace-mismatch", "Products|p-2|total", "de", 23),
    ("newline-mismatch", "Products|p-2|lines", "he", 24),
    ("unchanged", "Products|p-2|ship", "fr", 28),
    ("too-long", "Products|p-2|short", "de", 29),
    ("control-character", "Products|p-2|bell", "fr", 30),
    ("missing-translation", "Products|p-2|missing", "fr", 31),
    ("duplicate-key", "Products|p-1|title", "", 32),
    ("unknown-key", "Products|p-3|title", "", 33),
    ("stale-translation", "Products|p-2|stale", "de", 34),
    ("number-mismatch", "Products|p-4|price", "de", 35),
    ("email-mismatch", "Products|p-4|mail", "fr", 36),
    ("punctuation-mismatch", "Products|p-4|ready", "he", 37),
    ("bracket-mismatch", "Products|p-4|size", "de", 38),
    ("quote-mismatch", "Products|p-4|say", "he", 39),
    ("double-space", "Products|p-4|returns", "de", 40),
    ("repeated-word", "Products|p-4|add", "de", 41),
    ("inconsistent-translation", "Products|p-4|sale", "de", 42),
    ("inconsistent-source", "Products|p-4|order", "fr", 44),
    ("terminology", "Products|p-4|cart", "de", 46),
    ("spelling", "Products|p-4|gift", "de", 47),
    ("missing-key", "Products|p-9|title", "", None),
    ("coverage-below-threshold", "", "fr", None),
]


# German spelling needs the German Hunspell dictionary (.ci/run installs it): without it, the
# rule notes that it could not run, and the planted misspelling is not found.
HAVE_GERMAN_DICTIONARY = find_dictionary("de") is not None
EXPECTED = [f for f in PLANTED if HAVE_GERMAN_DICTIONARY or f[0] != "spelling"]


def planted_config(folder: Path, **options: Any) -> CheckConfig:
    """The planted table's configuration: every rule on, its termbase, the state above."""
    settings: dict[str, Any] = {
        "languages": ["en", "de", "fr", "he", "ja"],
        "min_coverage": 100,
        "allow_unchanged": ["Wix"],
        "state": STATE,
        "terms": str(folder / "terms.csv"),
        "enable": ["spelling"],
    }
    settings.update(options)
    return CheckConfig(**settings)


def csv_text(rows: list[list[str]], header: list[str] = HEADER) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def write_planted(folder: Path) -> tuple[Path, Path]:
    """The planted table and its reference export (every key but p-3, plus p-9), and the
    termbase ``terms.csv`` beside them."""
    (folder / "terms.csv").write_text(TERMS_CSV, encoding="utf-8")
    table = folder / "content.csv"
    table.write_text(csv_text(SOUND + DEFECTS), encoding="utf-8")
    keys = [r[:3] for r in SOUND + DEFECTS if r[1] != "p-3"]
    keys.append(["Products", "p-9", "title"])
    ref_rows = [[*k, "x"] for k in keys]
    reference = folder / "reference.csv"
    reference.write_text(
        csv_text(ref_rows, ["Collection ID", "Item ID", "Field", "en"]), encoding="utf-8"
    )
    return table, reference


def write_clean(folder: Path) -> Path:
    """The sound rows alone, main language first, no invalid header."""
    header = ["Collection ID", "Item ID", "Field", "Max Length", "en", "de", "fr", "he"]
    rows = [[r[0], r[1], r[2], r[3], r[5], r[4], r[6], r[7]] for r in SOUND]
    path = folder / "clean.csv"
    path.write_text(csv_text(rows, header), encoding="utf-8")
    return path
