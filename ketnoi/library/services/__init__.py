"""Every write to the library, one module per concern."""
