"""Index sync receivers (filled by the engine work)."""
