"""Reusable Streamlit pieces: the cached loaders, sidebar, map, organization card."""
