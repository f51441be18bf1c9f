"""Pages of the petitions app. Views are thin: forms parse, services write, selectors read.

One module per audience and page: ``wizard`` (the citizen's form), ``status`` (the citizen's
status page, the contact link, a second complaint), ``staff`` (the inbox, the counter's
intake, letters), ``cases`` (the case page and the officer's actions)."""
