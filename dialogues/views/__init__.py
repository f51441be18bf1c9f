"""Pages of accountability: the public dialogues and promises, and the staff pages of the
commitment tracker, dialogues, grassroots mediation and the People's Council.

Views are thin: forms parse, services write (a refusal becomes a form error and a 400), and
every list or lookup goes through ``gov.scoping`` or a ``*_for`` selector, so what is out of
scope is a 404.

One module per sub-domain: ``commitments``, ``dialogues``, ``mediation``, ``council``; what they
share is in ``common``."""
