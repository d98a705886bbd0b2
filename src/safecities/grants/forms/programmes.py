"""Forms of the grant pages: programmes."""
