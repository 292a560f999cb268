"""The benchmark: synthetic reports at scale and the measurements (see ``bench/run.py``)."""
