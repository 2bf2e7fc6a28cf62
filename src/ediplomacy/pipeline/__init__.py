"""Stages that enrich posts in batches, and the runners that drive them."""
