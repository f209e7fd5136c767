"""Template tags (``{% load search_links %}``): URLs of the pages, built by ``search.links``."""
