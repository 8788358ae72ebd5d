"""winwin: a give-first networking guide, pointer-post blog and reading list on MkDocs Material."""

__version__ = "0.1.0"
