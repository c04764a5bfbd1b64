"""The target environment: which Python, what it supports, what is installed in it."""
