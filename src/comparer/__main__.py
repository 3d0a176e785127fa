"""Allow `python -m comparer`."""
from .cli import main

main()
