"""Neutropenia Resource Explorer core: parsing, geocoding, searching and exporting.

Nothing in this package imports streamlit, so every function here can be unit-tested
and reused by the command-line interface (``python -m explorer``).
"""
