"""``python -m wixloc``: the same as the ``wixloc`` command."""

from wixloc.cli import main

if __name__ == "__main__":
    main()
