"""Forms of the grant pages: reviews."""
