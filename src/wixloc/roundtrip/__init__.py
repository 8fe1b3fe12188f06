"""The round trip over the model: split a table into translator units, merge them back, and
reconcile a push with a site that changed since the pull (:mod:`wixloc.roundtrip.threeway`)."""
