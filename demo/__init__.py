"""Demo and benchmark data: the demo accounts and records `make run` seeds (``seed_demo``,
``demo_code``) and the generated volume ``make bench`` measures (``generate_data``).

No domain app imports this one; it imports them, so that demo data never leaks into the
domain code and ``gov`` stays independent of every other app. Never installed in a way that
runs in production: ``seed_demo`` refuses the production settings.
"""
