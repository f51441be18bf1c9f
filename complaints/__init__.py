"""Petitions: see apps.py."""
