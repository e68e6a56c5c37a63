"""Renderers: plans, validation results and status as text, JSON, Markdown and CI formats."""
