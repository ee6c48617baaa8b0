"""Table webhooks: committed row, field and view events delivered to outside URLs."""
