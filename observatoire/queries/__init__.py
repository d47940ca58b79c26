"""Parametrised SQL, one module per page. Each function takes a connection and returns a DataFrame or a value."""
