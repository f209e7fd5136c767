"""Operations: what keeps the archive served and safe.

``index_sync`` keeps the search index in step with the database (a durable queue of changes);
``health`` answers load balancers; ``unavailable`` turns a database that cannot answer into a
503; ``backups`` writes and restores consistent backups.

May import the shared root and ``search.engine`` (through its facade) only: every other room
may rely on operations, so operations relies on none of them.
"""
