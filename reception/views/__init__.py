"""Pages of citizen reception. Views are thin: forms parse, services write, selectors read; every
staff lookup goes through ``gov.scoping`` and what is out of scope is a 404.

One module per page family: ``calendar`` (the public calendar, the staff's calendar and session
list), ``sessions`` (sessions and their visits), ``log`` (the reception log), ``compliance``
(the heads' compliance with the legal frequency); what they share is in ``common``."""
