"""Comments kept in the repository and rendered at build time.

THE FORMAT. One YAML file per page, beside it and named after it::

    content/blog/posts/my-post.md  ->  content/blog/posts/my-post.comments.yml

Per page, not per comment: a conversation reads, diffs and is moderated as
one document, a pull updates one file, and 10,000 imported comments stay a
few hundred files. The build reads these files and does not publish them::

    comments:
      - id: wp-42                  # required, unique in the file, [A-Za-z0-9._:-]{1,100};
                                   # sources prefix theirs: isso-12, wm-3456, wp-42, blogger-789,
                                   # email-<hash>, manual-<n>
        parent: wp-41              # optional: the id of the comment this one replies to
        author: Ana Lima           # required, 1..200 characters, no control characters
        url: https://ana.example/  # optional, http(s) with a host only
        date: 2011-03-04T10:20:30Z # required, ISO 8601 (a date alone is allowed), a real date, not in the future
        source: import             # required: import | isso | webmention | email | manual
        link: https://mastodon.social/@ana/1  # optional: where it was first posted, http(s)
        body: |                    # required Markdown, at most 20,000 characters
          Great pointer!
    reactions:                     # optional: likes and reposts, kept by id so a re-pull adds none twice
      - id: wm-1234
        kind: like                 # like | repost
        author: Bo                 # optional
        url: https://bo.example/   # optional
        link: https://bsky.app/... # optional

MODERATION. `content/comments-moderation.yml` (renamed with a plugin
setting; not published)::

    hidden:
      - page: blog/posts/my-post.md   # optional: without it, the id is hidden on every page
        id: wp-42
        reason: spam

THE STAGES (one module each, frozen dataclasses from `model` between them):
`load` (text -> model + every problem), `files` (read the docs folder, write
atomically), `moderate`, `thread`, `sanitize` (Markdown -> allowlisted HTML),
`render` (view model + the template `templates/partials/winwin/comments.html`),
`feed` (Atom of the latest comments), `merge` and `store` (pulls are safe to
repeat), and the sources `isso`, `webmentions` and `add` (an e-mailed reply),
each returning comments in this format. `http` is their one bounded GET.

AT BUILD TIME (glue in mkdocs_winwin.plugins.comments, used by winwin-prompts):
the files are taken out of MkDocs' files and read once, every problem of
every file reported (errors stop the build like front-matter errors,
warnings fail it only under --strict); unchanged files are not read again
and unchanged conversations not laid out again (files.BuildCache,
.cache/winwin/comments.pickle). A page shows its comments where it shows
its "Your turn" section, above the live reply channels.

NO COMMENT SHOWN TWICE. The static list is always in the page (it is the
archive, and what readers without JavaScript, search engines and feed
readers get). Only Isso also shows comments that were pulled into the
repository: each comment pulled from Isso carries its Isso number, and once
the Isso widget has drawn that comment the static copy's card is hidden (a
few lines of script in the template, watching the widget). So with
JavaScript each Isso comment shows once (in the live widget, where it can
be replied to), without JavaScript or while Isso is down it shows once (in
the static list), and comments only in the repository (imported, e-mailed,
webmentions) always stay. giscus shows a GitHub Discussion in an iframe
that no source pulls from, so nothing of it is in the static list.
"""
