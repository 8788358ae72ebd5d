"""`winwin import`: bring an existing blog in (Blogger, WordPress WXR, any feed).

A pipeline of small stages, pure in the middle and I/O at the edges:

- `source`   reads the export (a file or an http(s) URL), bounded in size;
- `detect`   tells which kind of export it is from its content;
- `blogger`, `wxr`, `feed` parse it into the frozen model of `model`;
- `markdown` turns the untrusted exported HTML into clean Markdown;
- `images`   downloads the images hosted on the old blog (bounded);
- `plan`     decides every file to write (posts, pages, comments, authors);
- `write`    stages those files in a temporary folder and moves them in
             only when everything went well;
- `report`   says what was done, left out and what to fix.

`run.import_blog()` ties them together; the CLI command is a thin shell.
"""
