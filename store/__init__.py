"""Persistence and file formats: SQLAlchemy tables, migrations, the CONTRACTS.md file readers.

The lowest layer: it imports nothing from `api`, `assistant`, `knowledge_base` or `models`.
"""
