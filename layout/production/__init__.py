"""Editions and batch: pages as jobs, the build cache, the edition PDF, reports, watch."""
