#!/usr/bin/env python3
"""Validate an evaluation question file against its corpus (stdlib only, but PDF and Word documents need pypdf
and python-docx, which the project installs).

Usage:
    python3 tests/eval/check_questions.py [QUESTIONS.jsonl] [CORPUS_DIR]

Defaults to tests/eval/questions.jsonl and tests/eval/corpus next to this script.

Errors (exit status 1):
  - a line that is not a JSON object, or has missing / unexpected fields
  - a duplicate id or duplicate question
  - `doc` naming a file that is not in the corpus
  - `doc` and `answer_contains` not both null or both set
  - `answer_contains` not found in the folded text of `doc`
  - `answer_contains` also found in another document, or more than once in `doc`
    (it must point at one passage only)
  - `answer_contains` crossing a line that is only a paragraph/minute number
    (i.e. spanning two numbered items), or crossing a paragraph break in an
    HTML or Markdown document

Warnings (reported, exit status unaffected):
  - `answer_contains` outside 4-15 words
  - `answer_contains` crossing a blank line in a plain-text document (may span
    two paragraphs, or a sentence broken by PDF extraction)
  - `answer_contains` with Markdown markup characters

Folding: whitespace runs -> one space, curly quotes -> straight, case-insensitive.
HTML documents are compared on their text (tags removed, entities decoded).
"""

from __future__ import annotations

import collections
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELDS = {"id", "question", "doc", "answer_contains"}
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
                        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"'})
# A line holding only a paragraph / minute / list number: "4.", "4.1", "12/22", "a)", "(2)", "2"
NUMBER_LINE = re.compile(r"^[ \t]*(?:\d+(?:\.\d+)*\.?|\d+/\d+|\(?[a-z]\)|\(\d+\))[ \t]*$", re.M)
BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "section", "tr",
              "table", "ul", "ol", "br", "title", "article", "header", "footer"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        if tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def doc_text(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from pypdf import PdfReader  # the project's own PDF reader library; not stdlib

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    if suffix == ".docx":
        import docx  # python-docx, as above

        document = docx.Document(str(path))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n\n".join([paragraph.text for paragraph in document.paragraphs] + cells)
    raw = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".html", ".htm"):
        parser = _Text()
        parser.feed(raw)
        raw = "".join(parser.parts)
    return raw


def fold(s: str) -> str:
    return re.sub(r"\s+", " ", s.translate(QUOTES)).strip().lower()


def span_in(original: str, needle: str) -> tuple[int, int] | None:
    """Locate `needle` in `original` allowing any whitespace between its words."""
    words = fold(needle).split(" ")
    pattern = r"\s+".join(re.escape(w) for w in words)
    m = re.search(pattern, original.translate(QUOTES), re.I)
    return (m.start(), m.end()) if m else None


def main(argv: list[str]) -> int:
    qpath = Path(argv[1]) if len(argv) > 1 else HERE / "questions.jsonl"
    cdir = Path(argv[2]) if len(argv) > 2 else HERE / "corpus"
    texts = {p.name: doc_text(p) for p in sorted(cdir.iterdir()) if p.is_file()}
    folded = {name: fold(t) for name, t in texts.items()}

    errors: list[str] = []
    warnings: list[str] = []
    ids: set[str] = set()
    questions: set[str] = set()
    per_doc: collections.Counter[str] = collections.Counter()
    unanswerable = 0
    total = 0

    for lineno, line in enumerate(qpath.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"line {lineno}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: not JSON ({exc})")
            continue
        if not isinstance(row, dict) or set(row) != FIELDS:
            errors.append(f"{where}: expected exactly the fields {sorted(FIELDS)}")
            continue
        total += 1
        qid, q, doc, ans = row["id"], row["question"], row["doc"], row["answer_contains"]
        where = f"{where} ({qid})"
        if not isinstance(qid, str) or not qid:
            errors.append(f"{where}: id must be a non-empty string")
        elif qid in ids:
            errors.append(f"{where}: duplicate id")
        ids.add(qid)
        if not isinstance(q, str) or not q.strip():
            errors.append(f"{where}: question must be a non-empty string")
        elif fold(q) in questions:
            errors.append(f"{where}: duplicate question")
        else:
            questions.add(fold(q))

        if doc is None and ans is None:
            unanswerable += 1
            continue
        if doc is None or ans is None:
            errors.append(f"{where}: doc and answer_contains must both be null or both be set")
            continue
        if doc not in texts:
            errors.append(f"{where}: doc {doc!r} not in {cdir}")
            continue
        per_doc[doc] += 1
        needle = fold(ans)
        hits = folded[doc].count(needle)
        if hits == 0:
            errors.append(f"{where}: answer_contains not found in {doc}: {ans!r}")
            continue
        if hits > 1:
            errors.append(f"{where}: answer_contains occurs {hits} times in {doc}: {ans!r}")
        others = [name for name, t in folded.items() if name != doc and needle in t]
        if others:
            errors.append(f"{where}: answer_contains also occurs in {', '.join(others)}: {ans!r}")
        n_words = len(needle.split(" "))
        if not 4 <= n_words <= 15:
            warnings.append(f"{where}: answer_contains has {n_words} words (aim for 4-15)")
        if re.search(r"[*#|`]|__", ans):
            warnings.append(f"{where}: answer_contains includes Markdown markup: {ans!r}")
        span = span_in(texts[doc], ans)
        if span is None:
            warnings.append(f"{where}: could not locate the span in the raw text")
            continue
        piece = texts[doc][span[0]:span[1]]
        inner = piece.split("\n")[1:-1]  # whole lines strictly inside the span
        if any(NUMBER_LINE.match(l) for l in inner):
            errors.append(f"{where}: answer_contains spans a numbered-item boundary: {ans!r}")
        if re.search(r"\n[ \t]*\n", piece):
            msg = f"{where}: answer_contains crosses a blank line: {ans!r}"
            # In HTML and Markdown a blank line is a real paragraph boundary; in text
            # extracted from PDFs it may just be damage inside a sentence.
            (errors if Path(doc).suffix.lower() in (".html", ".htm", ".md") else warnings).append(msg)

    for w in warnings:
        print("WARNING:", w)
    for e in errors:
        print("ERROR:", e)
    print(f"\n{qpath}: {total} questions, {total - unanswerable} answerable, {unanswerable} unanswerable")
    for name in sorted(texts):
        print(f"  {per_doc.get(name, 0):3d}  {name}")
    unused = [n for n in texts if not per_doc.get(n)]
    if unused:
        print("  (documents with no questions: " + ", ".join(unused) + ")")
    print("OK" if not errors else f"FAILED: {len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
