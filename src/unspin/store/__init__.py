"""The store: SQLAlchemy models behind one engine helper (SQLite by default, `UNSPIN_STORE` URL otherwise)."""
