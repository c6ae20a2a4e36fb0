"""Admin analytics over the events table: conversion reports, A/B verdicts, charts, effect model, sentiment alerts.

Every report runs its aggregation in SQL (GROUP BY in the database) on a SQLAlchemy connection, so the
same functions serve the stored events (SQLite or PostgreSQL) and an events CSV loaded into an
in-memory SQLite database (`events_database_from_frame`).
"""

from __future__ import annotations
