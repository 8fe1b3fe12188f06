"""Translation memory: TMX out and in, exact and fuzzy matches, the agency's analysis by band.

- :mod:`wixloc.tm.tmx`: TMX 1.4b writer and safe reader.
- :mod:`wixloc.tm.memory`: :class:`TranslationMemory` (``from_tmx``, ``add``, ``lookup``).
- :mod:`wixloc.tm.suggest`: pre-filled exact matches and fuzzy :class:`Suggestion` objects.
- :mod:`wixloc.tm.analysis`: the one counting rule and the analysis by band.
- :mod:`wixloc.tm.site`: the site's accepted translations as TMX (``wixloc tm export``).
"""

from __future__ import annotations

from wixloc.tm.memory import Band, Match, TranslationMemory
from wixloc.tm.suggest import Suggestion, apply_memory
from wixloc.tm.tmx import TmxFile, TmxUnit, read_tmx, tmx_date, write_tmx

__all__ = [
    "Band",
    "Match",
    "Suggestion",
    "TmxFile",
    "TmxUnit",
    "TranslationMemory",
    "apply_memory",
    "read_tmx",
    "tmx_date",
    "write_tmx",
]
