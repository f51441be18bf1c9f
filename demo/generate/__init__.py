"""Generated volume for the bench (``manage.py generate_data``); see ``rows``."""
