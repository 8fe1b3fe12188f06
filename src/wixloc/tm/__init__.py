"""Translation memory: TMX out and in, exact and fuzzy matches, the agency's analysis by band."""

from __future__ import annotations

from wixloc.tm.tmx import TmxFile, TmxUnit, read_tmx, tmx_date, write_tmx

__all__ = ["TmxFile", "TmxUnit", "read_tmx", "tmx_date", "write_tmx"]
