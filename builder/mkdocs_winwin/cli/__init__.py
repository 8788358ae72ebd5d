"""The `winwin` command."""
