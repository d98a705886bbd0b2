"""Forms of the grant pages: applications."""
