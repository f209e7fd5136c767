"""The web layer: what a browser or a script sees.

``views`` (thin) and ``pages`` (what the search page shows, as plain data) serve the HTML;
``api`` and ``openapi`` the JSON API; ``export_views`` the downloads; ``story_pages`` and
``highlighting`` prepare what an article page shows; ``forms`` is the one form that writes.

May import every other room. Nothing imports the web layer but ``search.urls``.
"""
