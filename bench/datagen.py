"""Deterministic benchmark data: a Wix-style localization table and its peer equivalents.

The table looks like a Wix localization export (``Collection ID,Item ID,Field,en,de,...``):
products, blog posts, FAQ and page SEO fields with realistic lengths, about 10% rich-text HTML
with placeholders, about 30% missing translations, repeated stock phrases, a little multi-line
text and a few planted defects (a dropped placeholder, a broken tag) so checks have something to
report. The same seed always gives the same bytes.

Along with the table, in the same pass, this module writes the table with every translation
filled in and what translate-toolkit's ``csv2po`` reads: one ``location,source,target`` CSV per
target language, holding every entry with a main-language text (what ``wixloc split --only
all`` sends).
"""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

__all__ = ["KEY_COLUMNS", "LANGUAGES", "languages_for", "write_data"]

KEY_COLUMNS = ("Collection ID", "Item ID", "Field")
LANGUAGES = ("en", "de", "fr", "he", "ja", "es", "it", "pt", "nl", "pl", "ko", "zh", "ar", "sv")

_WORD_LIST = (
    "the of and to in is for on with that this your our you are from by at be as it new all "
    "more can will free shop order price size color day time season guide product collection "
    "design quality handmade natural organic cotton linen leather wood ceramic glass steel "
    "comfortable classic modern vintage light dark soft warm cool fresh summer winter spring "
    "autumn holiday gift perfect everyday family friends home kitchen garden office travel "
    "outdoor beautiful simple elegant durable sustainable local small batch limited edition "
    "available today delivery shipping returns easy secure payment customer service support "
    "question answer account password email newsletter subscribe offer discount sale best "
    "seller favourite review rating story blog recipe tips ideas inspiration journey people "
    "team studio workshop craft material care instructions wash dry iron store keep away "
    "sunlight water each piece unique slight variations make character made love care every "
    "detail matters we believe good things take time"
)
_WORDS = _WORD_LIST.split()
# German and French words for the generator's English ones (en:de:fr), each in the Hunspell
# dictionaries Debian ships (hunspell-de-de, hunspell-fr), capitalised or not, so a check with
# the spelling rule on meets real dictionaries and real words. Other languages get pseudo-words.
_REAL_WORDS = (
    "account:Konto:compte add:hinzufügen:ajouter all:alle:tous and:und:et answer:Antwort:réponse "
    "are:sind:sont as:wie:comme at:bei:chez autumn:Herbst:automne available:verfügbar:disponible "
    "away:weg:loin batch:Charge:lot be:sein:être beautiful:schön:beau believe:glauben:croyons "
    "best:beste:meilleur blog:Blog:blog by:von:par can:kann:peut care:Pflege:soin "
    "cart:Warenkorb:panier ceramic:Keramik:céramique character:Charakter:caractère "
    "classic:klassisch:classique collection:Kollektion:collection color:Farbe:couleur "
    "comfortable:bequem:confortable contact:Kontakt:contact cool:kühl:frais "
    "cotton:Baumwolle:coton craft:Handwerk:artisanat customer:Kunde:client dark:dunkel:sombre "
    "day:Tag:jour delivery:Lieferung:livraison design:Gestaltung:conception detail:Detail:détail "
    "discount:Rabatt:remise dry:trocknen:sécher durable:langlebig:durable each:jedes:chaque "
    "easy:einfach:facile edition:Ausgabe:édition elegant:elegant:élégant email:Mail:courriel "
    "every:jeder:chaque everyday:alltäglich:quotidien family:Familie:famille "
    "favourite:Liebling:favori for:für:pour free:kostenlos:gratuit fresh:frisch:frais "
    "friends:Freunde:amis from:aus:de garden:Garten:jardin gift:Geschenk:cadeau glass:Glas:verre "
    "good:gut:bon guide:Ratgeber:guide handmade:handgemacht:artisanal have:haben:avez "
    "hello:hallo:bonjour holiday:Urlaub:vacances home:Zuhause:maison ideas:Ideen:idées in:in:dans "
    "inspiration:Inspiration:inspiration instructions:Anleitung:instructions iron:bügeln:repasser "
    "is:ist:est it:es:il items:Artikel:articles journey:Reise:voyage keep:halten:garder "
    "kitchen:Küche:cuisine learn:erfahren:découvrir leather:Leder:cuir light:hell:clair "
    "limited:begrenzt:limité linen:Leinen:lin local:lokal:local love:Liebe:amour "
    "made:gemacht:fait make:machen:faire material:Material:matière matters:zählt:compte "
    "modern:modern:moderne more:mehr:plus natural:natürlich:naturel new:neu:nouveau "
    "newsletter:Rundbrief:lettre now:jetzt:maintenant of:von:de offer:Angebot:offre "
    "office:Büro:bureau on:auf:sur order:Bestellung:commande orders:Bestellungen:commandes "
    "organic:biologisch:biologique our:unser:notre out:aus:hors outdoor:draußen:extérieur "
    "over:über:dessus password:Passwort:passe payment:Zahlung:paiement people:Leute:gens "
    "perfect:perfekt:parfait piece:Stück:pièce price:Preis:prix product:Produkt:produit "
    "products:Produkte:produits quality:Qualität:qualité question:Frage:question "
    "rating:Bewertung:note read:lesen:lire recipe:Rezept:recette related:ähnliche:similaires "
    "returns:Rücksendung:retours review:Rezension:avis sale:Schlussverkauf:soldes "
    "season:Saison:saison secure:sicher:sécurisé seller:Verkäufer:vendeur service:Dienst:service "
    "shipping:Versand:expédition shop:Laden:boutique simple:schlicht:simple size:Größe:taille "
    "slight:gering:léger small:klein:petit soft:weich:doux spring:Frühling:printemps "
    "steel:Stahl:acier stock:Lager:stock store:lagern:ranger story:Geschichte:histoire "
    "studio:Studio:atelier subscribe:abonnieren:abonner summer:Sommer:été "
    "sunlight:Sonnenlicht:soleil support:Hilfe:aide sustainable:nachhaltig:durable "
    "take:brauchen:prennent team:Team:équipe that:das:que the:die:le things:Dinge:choses "
    "this:diese:ce time:Zeit:temps tips:Tipps:conseils to:zu:à today:heute:aujourd'hui "
    "travel:reisen:voyager unique:einzigartig:unique us:uns:nous "
    "variations:Abweichungen:variations vintage:altmodisch:rétro warm:warm:chaud "
    "wash:waschen:laver water:Wasser:eau we:wir:nous will:wird:va winter:Winter:hiver "
    "with:mit:avec wood:Holz:bois workshop:Werkstatt:atelier you:Sie:vous your:Ihr:votre"
)
_REAL = {
    lang: {entry.split(":")[0]: entry.split(":")[n] for entry in "".join(_REAL_WORDS).split()}
    for n, lang in ((1, "de"), (2, "fr"))
}
# The termbase that `check --terms` reads in the benchmark: the site's domain words and three
# terms of two words, whose required target term is the generator's translation for each
# language, and per language with real words two forbidden terms that the texts do not use
# (each is still searched for).
_TERM_WORDS = (
    "shop order price size color product collection design quality cotton linen leather wood "
    "ceramic glass steel gift kitchen garden delivery shipping returns payment customer service "
    "support account password newsletter offer discount sale review rating recipe workshop "
    "material care instructions water"
)
_TERMS = [*_TERM_WORDS.split(), "free shipping", "customer service", "limited edition"]
_FORBIDDEN = {"de": ("Ausverkauf", "E-Mail"), "fr": ("magasin", "mail")}
_STOCK = (
    "Add to cart",
    "Read more",
    "Free shipping on orders over {amount}",
    "Out of stock",
    "Subscribe to our newsletter",
    "Hello {name}, you have {{count}} items in your cart",
    "Contact us",
    "Learn more",
    "Shop now",
    "Related products",
)
_COLLECTIONS = (
    ("Products", ("title", "shortDescription", "description", "buttonLabel")),
    ("BlogPosts", ("title", "excerpt", "richContent", "seoDescription")),
    ("FAQ", ("question", "answer")),
    ("Pages", ("seoTitle", "seoDescription", "heroText")),
)
_TOKEN = re.compile(r"(<[^>]*>|\{\{[^}]*\}\}|\{[^}]*\}|%\w|https?://\S+|\s+)")
_WORD = re.compile(r"(\W*)(.*?)(\W*)", re.DOTALL)
_SCRIPTS = {
    "he": "אבגדהוזחטיכלמנסעפצקרשת",
    "ar": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "ja": "あいうえおかきくけこさしすせそたちつてとなにぬねの日本語製品品質自然",
    "zh": "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发",
    "ko": "가나다라마바사아자차카타파하고노도로모보소오조초코토포호",
}
_CJK = frozenset({"ja", "zh"})


def languages_for(count: int) -> list[str]:
    """The first *count* benchmark languages, main language (en) first."""
    if not 2 <= count <= len(LANGUAGES):
        raise ValueError(f"--languages must be between 2 and {len(LANGUAGES)}")
    return list(LANGUAGES[:count])


class _Generator:
    """Makes rows from one seeded random source, so a run is reproducible byte for byte."""

    def __init__(self, languages: list[str], seed: int) -> None:
        self.rng = random.Random(seed)
        self.languages = languages
        self.words: dict[str, dict[str, str]] = {lang: {} for lang in languages[1:]}
        # Whole pieces of text between tokens, translated: a piece seen before needs no regex
        # and draws nothing from rng (its words are known), so the bytes are the same.
        self.pieces: dict[str, dict[str, str]] = {lang: {} for lang in languages[1:]}
        self.seen: list[str] = []  # earlier sources, for repetitions

    def sentence(self, low: int, high: int) -> str:
        words = self.rng.choices(_WORDS, k=self.rng.randint(low, high))
        if len(words) > 6 and self.rng.random() < 0.5:
            words[self.rng.randrange(2, len(words) - 2)] += ","
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, low: int, high: int) -> str:
        return " ".join(self.sentence(6, 18) for _ in range(self.rng.randint(low, high)))

    def placeholder(self) -> str:
        return self.rng.choice(("{name}", "{{count}}", "{amount}", "%s", "{0}", "{{ product }}"))

    def rich(self) -> str:
        parts = []
        for _ in range(self.rng.randint(2, 5)):
            words = self.paragraph(1, 3).split(" ")
            at = self.rng.randrange(len(words))
            words[at] = f"<strong>{words[at]}</strong>"
            if self.rng.random() < 0.5:
                at = self.rng.randrange(len(words))
                words[at] = (
                    f'<a href="https://example.com/p/{self.rng.randrange(10**6)}">{words[at]}</a>'
                )
            if self.rng.random() < 0.6:
                words.insert(self.rng.randrange(len(words)), self.placeholder())
            parts.append("<p>" + " ".join(words) + "</p>")
        if self.rng.random() < 0.3:
            items = "".join(f"<li>{self.sentence(2, 6)}</li>" for _ in range(3))
            parts.append(f"<ul>{items}</ul>")
        joiner = "\n" if self.rng.random() < 0.3 else ""
        return joiner.join(parts)

    def source(self, field: str) -> str:
        """Main-language text for *field*: short labels, titles, long texts or rich text."""
        rng = self.rng
        if rng.random() < 0.06:
            return rng.choice(_STOCK)
        if self.seen and rng.random() < 0.04:
            return rng.choice(self.seen)  # a text repeated elsewhere on the site
        if field in ("richContent", "description", "answer") and rng.random() < 0.45:
            text = self.rich()
        elif field in ("title", "seoTitle", "question", "buttonLabel"):
            text = self.sentence(2, 8).rstrip(".")
            if field == "question":
                text += "?"
        elif field in ("shortDescription", "excerpt", "seoDescription", "heroText"):
            text = self.sentence(10, 30)
        else:
            text = self.paragraph(1, 4)
            if rng.random() < 0.15:
                text += "\n\n" + self.paragraph(1, 2)
        if rng.random() < 0.08 and "<" not in text:
            text += " " + self.placeholder()
        if len(self.seen) < 5000 and rng.random() < 0.05:
            self.seen.append(text)
        return text

    def word(self, word: str, lang: str) -> str:
        """*word*'s translation: one per word whatever its case, capitalised as *word* is."""
        if word[0].isupper():
            found = self.word(word.lower(), lang)
            return found[0].upper() + found[1:]
        table = self.words[lang]
        found = table.get(word)
        if found is None:
            real = _REAL.get(lang, {}).get(word)
            found = table[word] = real if real is not None else self._new_word(word, lang)
        return found

    def _new_word(self, word: str, lang: str) -> str:
        letters = _SCRIPTS.get(lang)
        if letters is None:
            stem = word[::-1] if len(word) > 3 else word
            return stem + self.rng.choice(("en", "ung", "é", "ás", "ità", "ção", "ij", "ów", ""))
        size = max(1, len(word) // (3 if lang in _CJK else 1))
        return "".join(self.rng.choice(letters) for _ in range(size))

    def translate(self, text: str, lang: str) -> str:
        """A pseudo-translation that keeps markup, placeholders, URLs and spacing intact."""
        pieces = _TOKEN.split(text)  # text, token, text, ...: the tokens sit at odd places
        known = self.pieces[lang]
        for n in range(0, len(pieces), 2):
            piece = pieces[n]
            if piece:
                found = known.get(piece)
                if found is None:
                    found = known[piece] = self._translate_piece(piece, lang)
                pieces[n] = found
        if lang in _CJK:  # no spaces between words in Japanese or Chinese
            pieces[1::2] = ["" if p == " " else p for p in pieces[1::2]]
        return "".join(pieces)

    def _translate_piece(self, piece: str, lang: str) -> str:
        head, core, tail = _WORD.fullmatch(piece).groups()  # type: ignore[union-attr]
        return head + (self.word(core, lang) if core else "") + tail

    def defect(self, text: str) -> str:
        """A planted mistake a check should report: a dropped placeholder or tag, a space."""
        if "{" in text:
            return re.sub(r"\{+[^}]*\}+", "", text, count=1)
        if "</strong>" in text:
            return text.replace("</strong>", "", 1)
        return text + " "

    def typo(self, text: str) -> str:
        """*text* with two letters of one of its words swapped (outside markup and
        placeholders), as a translator's typing slip: what the spelling rule finds."""
        pieces = _TOKEN.split(text)
        long = [n for n in range(0, len(pieces), 2) if len(pieces[n]) >= 5 and pieces[n].isalpha()]
        if not long:
            return text
        n = self.rng.choice(long)
        word = pieces[n]
        at = self.rng.randrange(1, len(word) - 2)
        if word[at] != word[at + 1]:
            pieces[n] = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        return "".join(pieces)

    def cells(self, field: str) -> list[str]:
        source = self.source(field) if self.rng.random() > 0.005 else ""
        row = [source]
        for lang in self.languages[1:]:
            if not source or self.rng.random() < 0.3:
                row.append("")
                continue
            text = self.translate(source, lang)
            if self.rng.random() < 0.005:
                text = self.defect(text)
            if lang in _REAL and self.rng.random() < 0.01:
                text = self.typo(text)
            row.append(text)
        return row

    def rows(self, keys: int) -> Iterator[list[str]]:
        """*keys* data rows: the key cells then one text per language (main first)."""
        made = 0
        while made < keys:
            collection, fields = self.rng.choice(_COLLECTIONS)
            item = _item_id(self.rng)
            for field in fields:
                if made == keys:
                    return
                yield [collection, item, field, *self.cells(field)]
                made += 1

    def terms(self) -> Iterator[list[str]]:
        """The termbase's rows (``source,target,language[,note]``) for the words made so far."""
        for lang in self.languages[1:]:
            joiner = "" if lang in _CJK else " "  # as translate() writes them
            for term in _TERMS:
                words = [self.words[lang].get(word) for word in term.split()]
                if all(words):
                    yield [term, joiner.join(w for w in words if w), lang]
            for forbidden in _FORBIDDEN.get(lang, ()):
                yield ["", forbidden, lang, "forbidden: not our word"]


def _item_id(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def rows(keys: int, languages: list[str], seed: int = 7) -> Iterator[list[str]]:
    """*keys* data rows: the key cells then one text per language (main first)."""
    return _Generator(languages, seed).rows(keys)


def write_data(
    table: Path, full: Path, peer: Path, terms: Path, keys: int, languages: list[str]
) -> None:
    """The data, from one pass over the generated rows.

    *table* is the Wix-style wide table (about 30% of the target cells empty); *full* the same
    table with every missing translation filled in (what a translator sends back); *peer* a
    folder with, per target language, the ``location,source,target`` CSV that csv2po reads,
    holding every entry with a main-language text (what ``wixloc split --only all`` sends);
    *terms* the termbase of the site's domain words, as the generator translated them.
    """
    made = _Generator(languages, seed=7)
    filler = _Generator(languages, seed=11)
    keys_end = len(KEY_COLUMNS)
    with ExitStack() as files:
        table_w, full_w = _csv_writer(files, table), _csv_writer(files, full)
        peers = [_csv_writer(files, peer / f"{lang}.csv", csv.QUOTE_ALL) for lang in languages[1:]]
        for w in (table_w, full_w):
            w.writerow([*KEY_COLUMNS, *languages])
        for w in peers:
            w.writerow(["location", "source", "target"])
        for row in made.rows(keys):
            table_w.writerow(row)
            source = row[keys_end]
            if source:
                location = "/".join(row[:keys_end])
                for n, w in enumerate(peers, start=keys_end + 1):
                    w.writerow([location, source, row[n]])
                for n, lang in enumerate(languages[1:], start=keys_end + 1):
                    row[n] = row[n] or filler.translate(source, lang)
            full_w.writerow(row)
        terms_w = _csv_writer(files, terms)
        terms_w.writerow(["source", "target", "language", "note"])
        terms_w.writerows(made.terms())


def _csv_writer(files: ExitStack, path: Path, quoting: int = csv.QUOTE_MINIMAL) -> Any:
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = files.enter_context(path.open("w", encoding="utf-8", newline=""))
    return csv.writer(fh, quoting=quoting, lineterminator="\n")
