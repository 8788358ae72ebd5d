"""The thin MkDocs glue: plugin classes, every setting, the theme hook-up, Material workarounds."""
