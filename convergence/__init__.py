"""Convergence — the core of the participatory platform for communal convergence assemblies."""

__version__ = "0.1.0"
