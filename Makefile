# Developer shortcuts; the README holds the reference commands.
.PHONY: screenshot

# Render comparer-out/report.html (built from fixtures/corpus when absent) to comparer-out/report.png.
# COMPARER=path/to/comparer when it is not on PATH or in .venv.
screenshot:
	tools/screenshot_report.sh
