"""Allow `python -m comparer`."""
from .launch import main

main()
