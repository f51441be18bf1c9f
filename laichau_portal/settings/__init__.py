"""Settings package: ``base`` holds what every environment shares; ``local`` (the default of
``manage.py``), ``test`` and ``production`` build on it."""
