"""Events: the claims of several articles that tell of one happening, grouped and compared."""
