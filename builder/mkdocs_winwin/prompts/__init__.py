"""The "Your turn" section under a page, its reply channels, the share row and link previews."""
