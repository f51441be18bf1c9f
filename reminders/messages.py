"""What a reminder says, whatever the channel (in-app notification, e-mail)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str
