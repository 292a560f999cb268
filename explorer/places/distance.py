"""Great-circle distances for the "near me" filter, vectorised over whole columns.

The directory can hold 100,000 organizations; a Python loop per row would make
every slider move slow, so :func:`haversine_km` takes numpy arrays.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG); the spherical model errs by under 0.5 % against the ellipsoid."""


def haversine_km(
    lat1: ArrayLike, lon1: ArrayLike, lats: ArrayLike, lons: ArrayLike
) -> NDArray[np.float64]:
    """Great-circle distance in km from ``(lat1, lon1)`` to each ``(lats, lons)``.

    Inputs are degrees and broadcast like numpy arrays (a point against columns,
    or column against column). The haversine form stays accurate for the short
    distances a "near me" search cares about, where the law of cosines loses
    precision. NaN coordinates give NaN distances.

    Returns
    -------
    numpy.ndarray
        Distances in kilometres (a 0-d array for scalar input).
    """
    phi1, lam1, phi2, lam2 = (
        np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lats, lons)
    )
    a = (
        np.sin((phi2 - phi1) / 2) ** 2
        + np.cos(phi1) * np.cos(phi2) * np.sin((lam2 - lam1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
