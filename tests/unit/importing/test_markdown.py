"""Exported HTML is untrusted: what survives the conversion to Markdown, and what does not."""

from __future__ import annotations

import markdown as python_markdown
import pytest
from lxml import html as lxml_html

from mkdocs_winwin.importing.markdown import description, embed_link, to_markdown


def render(md: str) -> str:
    """What the site's Markdown makes of it (with the extensions that could be abused)."""
    return python_markdown.markdown(md, extensions=["attr_list", "md_in_html", "tables", "fenced_code"])


@pytest.mark.parametrize("html, expected", [
    ("<h2>Title</h2>", "## Title"),
    ("<p><b>bold</b> and <em>em</em></p>", "**bold** and *em*"),
    ("<ul><li>a</li><li>b<ul><li>c</li></ul></li></ul>", "- a\n- b\n  - c"),
    ("<ol><li>one</li></ol>", "1. one"),
    ("<blockquote><p>quoted</p></blockquote>", "> quoted"),
    ('<pre class="brush: js">let a = 1;</pre>', "```js\nlet a = 1;\n```"),
    ('<pre><code class="language-python">x = 1</code></pre>', "```python\nx = 1\n```"),
    ("<table><tr><td>a</td><td>b</td></tr><tr><td>1</td><td>2</td></tr></table>", "| a | b |\n| --- | --- |\n| 1 | 2 |"),
    ('<a href="https://x.example/">x</a>', "[x](https://x.example/)"),
    ('<img src="https://x.example/a.png" alt="A">', "![A](https://x.example/a.png)"),
])
def test_markup_survives(html, expected):
    assert expected in to_markdown(html)


@pytest.mark.parametrize("html", [
    "<script>alert(1)</script>",
    '<p onclick="alert(1)">x</p>',
    '<a href="javascript:alert(1)">x</a>',
    '<img src="x" onerror="alert(1)">',
    "<style>body{display:none}</style>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    "<p>[click](javascript:alert(1))</p>",
    '<p>text</p><p>{: onclick="alert(1)" }</p>',
    '<p>a <span style="color:red" onmouseover="alert(1)">b</span></p>',
    "<svg><script>alert(1)</script></svg>",
    "<p>&lt;img src=x onerror=alert(1)&gt;</p>",
])
def test_nothing_active_survives_even_in_the_rendered_page(html):
    out = render(to_markdown(html))
    tree = lxml_html.fragment_fromstring(out, create_parent="div")
    assert not tree.xpath("//script | //style | //iframe | //svg | //object | //embed"), out
    for element in tree.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), out
            assert not value.strip().lower().startswith("javascript:"), out


def test_blogger_soup_is_tidied():
    html = ('<div style="text-align: left;"><span style="font-family: Georgia;"></span>First line'
            '<br /><br /><br />Second&nbsp;line<br />third</div><p>&nbsp;</p><p></p>')
    assert to_markdown(html) == "First line\n\nSecond line  \nthird\n"


def test_embeds_become_links():
    assert to_markdown('<iframe src="https://www.youtube.com/embed/abcdefghijk?rel=0"></iframe>') == \
        "[Video on YouTube](https://www.youtube.com/watch?v=abcdefghijk)\n"
    assert "[Video on Vimeo](https://vimeo.com/123)" in to_markdown('<iframe src="//player.vimeo.com/video/123"></iframe>')
    old = ('<object><param name="movie" value="http://www.youtube.com/v/abcdefgh&hl=en"></param>'
           '<embed src="http://www.youtube.com/v/abcdefgh&hl=en"></embed></object>')
    assert to_markdown(old).count("Video on YouTube") == 1
    assert embed_link("https://maps.example/embed?x=1") == ("https://maps.example/embed?x=1",
                                                            "Embedded content on maps.example")


def test_lightbox_link_around_an_image_is_dropped_and_links_are_rewritten():
    html = ('<a href="https://1.bp.blogspot.com/big.jpg"><img src="https://1.bp.blogspot.com/s320/small.jpg"></a>'
            '<a href="https://old.example/post.html">other</a>')
    out = to_markdown(html, image=lambda src: "local.jpg", link=lambda href: "post.md")
    assert out == "![](local.jpg)[other](post.md)\n"


def test_description_is_the_first_sentence_without_headings():
    html = "<h2>Intro</h2><p>This is the opening sentence of the post. And more.</p>"
    assert description(html) == "This is the opening sentence of the post."
    assert len(description("<p>" + "word " * 100 + "</p>")) <= 200


@pytest.mark.parametrize("mark", ['<a name="more"></a>', "<a name='more'></a>", "<!--more-->", "<!--more Read on-->"])
def test_the_read_more_mark_becomes_materials_excerpt_separator(mark):
    assert to_markdown(f"<p>Intro.</p>{mark}<p>Rest.</p>") == "Intro.\n\n<!-- more -->\n\nRest.\n"


def test_a_blogger_thumbnail_is_replaced_by_the_larger_copy_it_links_to():
    html = '<a href="https://1.bp.blogspot.com/s1600/big.jpg"><img src="https://1.bp.blogspot.com/s320/big.jpg"></a>'
    assert to_markdown(html) == "![](https://1.bp.blogspot.com/s1600/big.jpg)\n"


def test_wordpress_shortcodes():
    from mkdocs_winwin.importing.wxr import shortcodes

    html, unknown = shortcodes('[caption id="a" width="300"]<img src="https://x.example/y.jpg" alt="A" /> '
                               'The caption[/caption][embed]https://vimeo.com/1[/embed][youtube https://youtu.be/x]'
                               '[gallery ids="1,2"]')
    assert unknown == ["gallery"]
    out = to_markdown(html)
    assert "![A](https://x.example/y.jpg)" in out and "The caption" in out
    assert "<https://vimeo.com/1>" in out and "<https://youtu.be/x>" in out


def test_code_blocks_keep_their_blank_lines_and_spaces():
    html = "<pre>def f():\n\n\n    return 1  \n</pre><p>after</p>"
    assert to_markdown(html) == "```\ndef f():\n\n\n    return 1\n```\n\nafter\n"


def test_blogger_caption_table_becomes_picture_and_caption():
    html = ('<table align="center" class="tr-caption-container"><tbody><tr><td style="text-align: center;">'
            '<a href="https://1.bp.blogspot.com/s1600/big.jpg"><img src="https://1.bp.blogspot.com/s320/big.jpg"/></a>'
            '</td></tr><tr><td class="tr-caption">The caption</td></tr></tbody></table>')
    assert to_markdown(html) == "![](https://1.bp.blogspot.com/s1600/big.jpg)\n\n*The caption*\n"


def test_a_picture_in_a_table_cell_or_heading_is_kept():
    out = to_markdown('<table><tr><th>Photo</th></tr><tr><td><img src="https://x.example/a.png" alt="A"></td></tr>'
                      '</table><h2><img src="https://x.example/b.png" alt="B"> Title</h2>')
    assert "| ![A](https://x.example/a.png) |" in out and "## ![B](https://x.example/b.png) Title" in out
    assert "class=" not in to_markdown('<table class="md-button"><tr><td class="x">a</td></tr></table>')


def test_wordpress_blocks():
    html = ('<!-- wp:image --><figure class="wp-block-image"><img src="https://old.example/a_b.jpg" alt=""/>'
            '<figcaption>A <b>caption</b></figcaption></figure><!-- /wp:image -->'
            '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">\nhttps://www.youtube.com/watch?v=abc_def\n'
            '</div></figure><p>see https://x.example/ here</p>')
    assert to_markdown(html) == ("![](https://old.example/a_b.jpg)\n\n*A caption*\n\n"
                                 "<https://www.youtube.com/watch?v=abc_def>\n\nsee https://x.example/ here\n")
