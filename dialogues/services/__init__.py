"""Writes of accountability, one module per sub-domain (as ``dialogues/views/``):

- ``dialogues``: dialogues with citizens;
- ``mediation``: grassroots mediation;
- ``council``: the People's Council, its questions, resolutions and voters' recommendations;
- ``commitments``: the tracker that follows every promise until it is kept;
- ``common``: the refusal and the checks they share.

Callers use this package (``services.dialogue_plan``) or the module itself.
"""

from __future__ import annotations

from dialogues.services.commitments import (
    SOURCE_FIELDS,
    commitment_change_deadline,
    commitment_close,
    commitment_make,
    commitment_note_progress,
)
from dialogues.services.common import deadline_for
from dialogues.services.council import (
    council_session_create,
    question_answer,
    question_ask,
    resolution_add,
    voter_meeting_create,
    voter_recommendation_add,
    voter_recommendation_reply,
)
from dialogues.services.dialogues import (
    announcement_warning,
    dialogue_announce,
    dialogue_cancel,
    dialogue_plan,
    dialogue_publish_results,
    dialogue_record,
)
from dialogues.services.mediation import (
    commune_agency,
    mediation_conclude,
    mediation_follow_up,
    mediation_open,
    mediation_start,
    mediator_add,
    team_create,
)

__all__ = [
    "SOURCE_FIELDS",
    "announcement_warning",
    "commitment_change_deadline",
    "commitment_close",
    "commitment_make",
    "commitment_note_progress",
    "commune_agency",
    "council_session_create",
    "deadline_for",
    "dialogue_announce",
    "dialogue_cancel",
    "dialogue_plan",
    "dialogue_publish_results",
    "dialogue_record",
    "mediation_conclude",
    "mediation_follow_up",
    "mediation_open",
    "mediation_start",
    "mediator_add",
    "question_answer",
    "question_ask",
    "resolution_add",
    "team_create",
    "voter_meeting_create",
    "voter_recommendation_add",
    "voter_recommendation_reply",
]
