"""The translation round trip over the model: a table split into translator units
(:mod:`.split`), translated units merged back (:mod:`.merge`), and both over files, streamed
(:mod:`.files`)."""
