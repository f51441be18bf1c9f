"""Deadline reminders, escalation and weekly digests: see apps.py."""
