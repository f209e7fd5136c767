"""Stories: re-posted copies of one story found and kept together.

``near_duplicates`` is pure (text -> MinHash signature -> LSH band keys -> similarity);
``clusters`` keeps the stories in the database: places imported articles, splits and joins.

May import the shared root, ``search.operations`` (the index queue) and ``search.engine``.
"""
