"""The store: validated records written once to Parquet, read back as the same :class:`~refugee_stats.ingest.dataset.Dataset`.

``schema`` gives each table's Arrow schema (derived from the loader's typed frames) and
converts frames both ways exactly; ``cache`` names the cache folder, keys a store by its
files' content and writes and reads a store folder atomically. Large CSV files are written
into a store in chunks by :mod:`refugee_stats.ingest.stream`.
"""
