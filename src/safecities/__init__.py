"""safecities: the platform a network of cities runs itself on."""

__version__ = "0.1.0"
