"""The package version, in a module of its own: the format modules write it into the files they
make, and they cannot import the root package, which imports them."""

__version__ = "0.1.0"
