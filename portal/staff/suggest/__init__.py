"""Suggested answers for agents and their feedback."""
