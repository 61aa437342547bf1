"""Placeholder until the envelope library lands."""
