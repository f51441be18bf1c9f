"""Writes to petitions, one module per stage:

- ``intake``: a petition received, and the items added to it later (a split, a second
  complaint, the item a transfer opens);
- ``attachments``: its files, checked by their bytes;
- ``contact``: the sender's contact confirmed;
- ``processing``: the holding agency's processing (xử lý đơn), up to acceptance, a transfer,
  guidance or filing;
- ``resolution``: the handler's resolution (giải quyết), and grassroots mediation first;
- ``common``: the refusal and the checks every action makes.

Every function validates, changes the item through the lifecycle table, writes the deadline
history and an event, all in one transaction. Views, the API, the admin and tasks call these,
through this package (``services.item_accept``) or the module itself.
"""

from __future__ import annotations

from complaints.services.attachments import attachment_add, attachment_recheck, attachments_prepare
from complaints.services.common import search_text_of
from complaints.services.contact import item_confirm_contact, petition_contact_confirm
from complaints.services.intake import (
    ItemData,
    Submission,
    SubmissionResult,
    SubmitterData,
    petition_add_item,
    petition_submit,
    second_complaint_lodge,
    too_many_submitters,
)
from complaints.services.processing import (
    item_accept,
    item_assign_handler,
    item_classify,
    item_file,
    item_guide,
    item_link_duplicate,
    item_start_processing,
    item_transfer,
)
from complaints.services.resolution import (
    item_close,
    item_conclude,
    item_extend,
    item_mediation_outcome,
    item_send_to_mediation,
    item_start_verification,
    item_withdraw,
)

__all__ = [
    "ItemData",
    "Submission",
    "SubmissionResult",
    "SubmitterData",
    "attachment_add",
    "attachment_recheck",
    "attachments_prepare",
    "item_accept",
    "item_assign_handler",
    "item_classify",
    "item_close",
    "item_conclude",
    "item_confirm_contact",
    "item_extend",
    "item_file",
    "item_guide",
    "item_link_duplicate",
    "item_mediation_outcome",
    "item_send_to_mediation",
    "item_start_processing",
    "item_start_verification",
    "item_transfer",
    "item_withdraw",
    "petition_add_item",
    "petition_contact_confirm",
    "petition_submit",
    "search_text_of",
    "second_complaint_lodge",
    "too_many_submitters",
]
