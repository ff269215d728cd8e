"""Offline reading: the service worker, its offline and saved-guides pages, and what it may store."""
