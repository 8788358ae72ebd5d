"""Feeds out: RSS 2.0 and Atom 1.0 of the blog and of each guide theme."""
