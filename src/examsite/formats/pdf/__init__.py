"""PDFs with reportlab: the shared drawing helpers (``fonts``, ``drawing``) and one module
per document. Every PDF embeds a subset of a TrueType CJK font, is made with
``invariant=1`` (the same data gives the same bytes) and is written to a temporary file
first, so an interrupted run never leaves half a document under the real name."""
