"""Django's SQLite backend as Newsroom opens it (see ``base``)."""
