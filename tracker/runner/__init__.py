"""Provides the snippet runner: a pre-warmed worker process, the only place torch is imported."""
