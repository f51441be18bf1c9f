"""Dialogues and commitments: see apps.py."""
