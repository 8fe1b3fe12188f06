"""The registration list of the sandbox's job flows: which handler runs a job from one
source kind to one destination kind, and which check its submit passes first.

A new flow is a handler module (see :mod:`.localization`, :mod:`.collections`) and one line
here; :func:`wixloc.sandbox.make_sandbox` hands this list to the :class:`~.runner.Runner`.
"""

from __future__ import annotations

from wixloc.sandbox import collections, localization
from wixloc.sandbox.runner import Flow

__all__ = ["FLOWS"]

FLOWS: tuple[Flow, ...] = (
    Flow("localization", "file", localization.export_localization, localization.validate_export),
    Flow("file", "localization", localization.import_localization, localization.validate_import),
    Flow("wixDataCollection", "file", collections.export_collection, collections.validate_export),
    Flow("file", "wixDataCollection", collections.import_collection, collections.validate_import),
)
