"""The package's only Streamlit code: data access with caching, URL state, KPIs, grid, maps, downloads, provenance."""
