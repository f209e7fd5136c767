"""The command line (``manage.py``): imports, the index, backups; see ``commands/``."""
