"""HTML reading: content paragraphs only, lists and tables as paragraphs, metadata from the head."""

from __future__ import annotations

import pytest

from ingest.readers import UnreadableDocument, read_document

COUNCIL_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Anchor Institutions – Derbyshire County Council</title>
  <link rel="canonical" href="https://www.derbyshire.gov.uk/council/anchor-institutions">
  <meta name="date" content="2022-01-13">
  <style>p { color: red; }</style>
  <script>var tracking = "do not index";</script>
</head>
<body>
  <header><a href="/">Derbyshire County Council</a> <form>Search</form></header>
  <nav><ul><li><a href="/council">Council</a></li><li><a href="/news">News</a></li></ul></nav>
  <main>
    <h1>Anchor   Institutions in
        Derbyshire</h1>
    <p>Anchor institutions are <strong>large</strong> organisations&nbsp;rooted in their place.</p>
    <!-- editor's note: not for publication -->
    <p>They include:</p>
    <ul>
      <li>the NHS</li>
      <li><p>the universities</p></li>
    </ul>
    <h2>Recommendations</h2>
    <ol start="2">
      <li>Agree the Charter.</li>
      <li>Note the report.</li>
    </ol>
    <table>
      <tr><th>Item</th><th>Cost</th></tr>
      <tr><td>Charter launch</td><td>£2,500</td></tr>
    </table>
    <div>Contact: Policy Team<br>Tel: 01629 533190</div>
    <script>document.write("no")</script>
  </main>
  <footer>© Derbyshire County Council 2022 · Cookies</footer>
</body>
</html>
"""


@pytest.fixture
def council_page(tmp_path):
    path = tmp_path / "anchor.html"
    path.write_text(COUNCIL_PAGE, encoding="utf-8")
    return read_document(path)


def test_content_comes_out_as_paragraphs_without_page_furniture(council_page):
    assert council_page.text == (
        "Anchor Institutions in Derbyshire\n\n"
        "Anchor institutions are large organisations rooted in their place.\n\n"
        "They include:\n\n"
        "• the NHS\n\n"
        "• the universities\n\n"
        "Recommendations\n\n"
        "2. Agree the Charter.\n\n"
        "3. Note the report.\n\n"
        "Item\tCost\n\n"
        "Charter launch\t£2,500\n\n"
        "Contact: Policy Team\nTel: 01629 533190"
    )


def test_metadata_comes_from_the_head(council_page):
    assert council_page.title == "Anchor Institutions – Derbyshire County Council"
    assert council_page.url == "https://www.derbyshire.gov.uk/council/anchor-institutions"
    assert council_page.date == "2022-01-13"
    assert council_page.page_starts == ()


def test_title_falls_back_to_the_first_h1_and_article_header_is_kept(tmp_path):
    path = tmp_path / "page.HTM"
    path.write_text(
        "<header>Site banner</header><article><header><h1>Home to School Transport</h1>"
        "<p>Published 3 March 2023</p></header><p>Policy text.</p><footer>Last reviewed 2024</footer></article>",
        encoding="utf-8",
    )

    source = read_document(path)

    assert source.title == "Home to School Transport"
    assert source.text == (
        "Home to School Transport\n\nPublished 3 March 2023\n\nPolicy text.\n\nLast reviewed 2024"
    )
    assert source.url is None and source.date is None


def test_windows_1252_page_declared_in_meta_keeps_the_pound_sign(tmp_path):
    path = tmp_path / "fees.html"
    path.write_bytes('<meta charset="windows-1252"><p>Fee: £25 – per visit</p>'.encode("cp1252"))

    assert read_document(path).text == "Fee: £25 – per visit"


def test_page_with_only_scripts_and_navigation_has_no_text(tmp_path):
    path = tmp_path / "shell.html"
    path.write_text("<nav>Home</nav><script>app()</script><div id='root'></div>", encoding="utf-8")

    with pytest.raises(UnreadableDocument, match="no text found in the document"):
        read_document(path)


def test_nested_lists_and_preformatted_text(tmp_path):
    path = tmp_path / "lists.html"
    path.write_text(
        "<body><ul><li>Schools<ul><li>Primary</li><li>Secondary</li></ul></li></ul>"
        "<pre>Ward      Seats\nBelper    2</pre></body>",
        encoding="utf-8",
    )

    assert read_document(path).text == (
        "• Schools\n\n• Primary\n\n• Secondary\n\nWard      Seats\nBelper    2"
    )
