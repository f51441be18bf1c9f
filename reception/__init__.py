"""Citizen reception: see apps.py."""
