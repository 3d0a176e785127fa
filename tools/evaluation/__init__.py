"""Evaluation tasks of tools/evaluate.py: one module per task, each with `report() -> str`."""
