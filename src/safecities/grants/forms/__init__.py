"""Forms of the grant pages, one module per part of the cycle."""
