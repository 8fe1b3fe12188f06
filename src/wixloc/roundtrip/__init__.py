"""The translation round trip over the model: a table split into translator units
(:mod:`.split`), translated units merged back (:mod:`.merge`), both over files, streamed
(:mod:`.files`), and a push reconciled with a site that changed since the pull
(:mod:`.threeway`); a Ricos rich-content cell as translator segments (:mod:`.ricos`)."""
