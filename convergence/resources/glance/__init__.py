"""Glance resource types."""
