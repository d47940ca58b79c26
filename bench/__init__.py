"""Benchmarks: `python -m bench` runs the whole suite (see README, Performance)."""
