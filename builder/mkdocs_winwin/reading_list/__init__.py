"""The reading list: sources, fetching, parsing, the store, curation, picks and the page model."""
