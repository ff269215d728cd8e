"""Unanswered and disputed questions: recording, grouping, supervisor decisions."""
