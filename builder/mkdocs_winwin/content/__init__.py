"""The content model and its validation: posts, chapters, authors, front matter, cross-links."""
