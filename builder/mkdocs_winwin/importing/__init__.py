"""`winwin import`: bring an existing blog in (Blogger, WordPress WXR, any feed).

A pipeline of small stages, pure in the middle and I/O at the edges:

- `source`   reads SOURCE (a file, a Takeout .zip or an http(s) URL), bounded;
- `detect`   tells which kind of export it is from its first bytes;
- `xmlsafe`  streams the XML with a hardened parser (no entities, no network);
- `blogger`, `wxr`, `feed` parse it into the frozen model of `model`, with
  `assemble` for what they share (slugs, untitled entries, comment threads);
- `markdown` turns the untrusted exported HTML into clean Markdown;
- `images`   downloads the images hosted on the old blog (through `fetch`,
             bounded in time and size);
- `authors`  adds the blog's authors to `.authors.yml` (avatars: fetched or initials);
- `files`    renders post files, `.authors.yml` entries and avatars (comments
             are written with the comments feature's own model and `dump`);
- `write`    stages every file in a temporary folder and moves them in only
             when everything went well;
- `report`   says what was done, left out and what to fix.

`run.import_blog()` ties them together; `cli/importing.py` is the thin command.
Old addresses become `aliases:` in front matter; `mkdocs_winwin.redirects`
checks them and `plugins/redirects.py` writes a redirect page for each.
"""
