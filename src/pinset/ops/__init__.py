"""Use cases, callable as a library: they return typed results and never print."""
