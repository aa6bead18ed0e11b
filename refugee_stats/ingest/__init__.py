"""Ingest: files in, a :class:`~refugee_stats.ingest.dataset.Dataset` out.

``files`` finds the files (folders, uploads, archives); ``textfile`` decodes text once;
``read`` turns each file into raw text tables; ``personal`` refuses identifier columns;
``validate`` checks and types the tables; ``dataset`` ties them together with the
publishers' importers; ``stream`` does the same for large CSV files a chunk at a time, into a
store (:mod:`refugee_stats.store`). ``problems`` is the one table every step reports into.
"""
