"""Stages 1–2 — read: files → RawArticle → Article.

load.py      files and folders → RawArticle (bytes decoded as UTF-8, or kept for PDF and Word; sha256;
             the retrieval record beside a fetched file)
parse.py     RawArticle → Article: front matter, Markdown, HTML, PDF or Word, metadata, and the plain
             text that every evidence offset points into
maintext.py  a web page's main text without its furniture (the only trafilatura user)
pdf.py       PDF → lines in reading order, running heads/feet and page numbers removed, lines rejoined
word.py      .docx → lines, styled headings marked; .doc converted (LibreOffice, antiword) or refused
"""
