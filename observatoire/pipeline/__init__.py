"""The build: one module per source family, run by build.py."""
