"""Views and their filters (07-views-filters.md)."""
