"""End-to-end check with Baserow's web frontend (not part of the test suite)."""
