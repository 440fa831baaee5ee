"""Ingest sources: drop folders and URLs that feed the importer without anyone running a command.

``sources.py`` holds the model, ``folders.py`` takes the complete files of
one drop folder through the one importer, ``polling.py`` polls one source
under its lock (what a background job calls) and records its state.
"""
