"""The site layer: everything wixloc does with a Wix site, above the client and the sandbox.

- :mod:`~wixloc.site.project` — a project's folder and its ``.wixloc/`` (state, snapshots,
  backups, timestamps);
- :mod:`~wixloc.site.connect` — the one way to build a client (a real site or the sandbox);
- :mod:`~wixloc.site.flow` — the job-flow skeleton every import runs through, the movement logs;
- :mod:`~wixloc.site.localization` — export and import of the translatable content;
- :mod:`~wixloc.site.collections` — export and import of a collection's items;
- :mod:`~wixloc.site.lock` — one remote command per project at a time;
- :mod:`~wixloc.site.journal` — remote work recorded before and after the submit;
- :mod:`~wixloc.site.batches` — more languages than one job takes, in batches joined by key.

Modules here import from ``wix``, ``sandbox``, ``checks``, ``formats`` and ``model``, never
from ``workflow`` or ``cli``. The package imports nothing itself, so that importing one
module does not import the sandbox.
"""
