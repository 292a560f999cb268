"""Stage 1, reading: from the data folder's files to records, before anything is placed.

:mod:`~explorer.reading.report_text` reads a report file's bytes as text and
:mod:`~explorer.reading.reports` parses it into organizations, with
:mod:`~explorer.reading.addresses` and :mod:`~explorer.reading.phones` for their fields;
:mod:`~explorer.reading.errata` corrects misprints the curators listed. The curated files
are read by :mod:`~explorer.reading.curated_csv`: organization types and reach
(:mod:`~explorer.reading.classify`) and checked contact status
(:mod:`~explorer.reading.contact_status`, said in words by
:mod:`~explorer.reading.currency_text`). Nothing here imports :mod:`explorer.places`:
reading a report never loads the geocoder's index.
"""
