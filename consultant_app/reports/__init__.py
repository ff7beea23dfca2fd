"""PDFs with reportlab: a renderer takes a view-model from the domain and returns bytes (no database, no Qt)."""
