"""Integrity: verify claims, find coordinated behaviour, counter disinformation."""
