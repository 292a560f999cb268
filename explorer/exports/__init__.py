"""Stage 4, exports: the organizations a person listed, as files other tools read.

:mod:`~explorer.exports.csv_vcard` writes one CSV (or JSON) row and one vCard per
organization; :mod:`~explorer.exports.hsds` writes the Open Referral HSDS 3.0 tabular
package, with the columns and constraints :mod:`~explorer.exports.hsds_schema` reads from
the specification's own ``datapackage.json`` (kept in ``standards/hsds-3.0/``).
"""
