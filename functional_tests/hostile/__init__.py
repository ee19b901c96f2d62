"""Hostile input and load: requests built to cost the server much."""
