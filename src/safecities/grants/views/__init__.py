"""Grant pages, one module per part of the cycle; each module lists its own URLs."""
