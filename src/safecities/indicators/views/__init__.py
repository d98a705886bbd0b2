"""Indicator pages; each module lists the URLs of its part."""
