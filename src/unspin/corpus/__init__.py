"""Corpus mode: many articles analysed by a local process pool and kept in the store (see `runner`)."""
