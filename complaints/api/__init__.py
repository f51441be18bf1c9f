"""The JSON API of the petitions app: public submission and status, and the staff inbox."""
