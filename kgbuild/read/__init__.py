"""Stages 1–2 — read: files → RawArticle → Article.

load.py   files and folders → RawArticle (bytes decoded as UTF-8, sha256, file name)
parse.py  RawArticle → Article: front matter, Markdown or HTML, metadata, and the plain text that
          every evidence offset points into
"""
