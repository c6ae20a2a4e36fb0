"""Trainable estimators with fit / predict / save / load (intent, recommender, segments, optimizer…)."""
