"""Catalog embedding, FAISS dense index, BM25 lexical index and the hybrid retriever."""
