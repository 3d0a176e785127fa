#!/usr/bin/env bash
# Capture `comparer diff` and `comparer followup` in real tmux terminals of 80 and 160 columns (no COLUMNS set)
# into docs/terminal-80.txt and docs/terminal-160.txt. Needs tmux; COMPARER=path/to/comparer when not in .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
COMPARER="${COMPARER:-$PWD/.venv/bin/comparer}"
run='$C diff fixtures/generated/changning_2024_report.pdf fixtures/generated/changning_2024_report_edited.pdf; echo; $C followup fixtures/seeds/changning_qufuban_2022_fazhi_report_pdftext.txt fixtures/seeds/changning_2024_fazhi_report_webtext.txt | head -24'
for width in 80 160; do
  socket="$(mktemp -u)"; done_flag="$(mktemp -u)"
  env -u COLUMNS -u LINES -u TMUX TERM=xterm-256color C="$COMPARER" tmux -S "$socket" -f /dev/null new-session -d -x "$width" -y 200 \
    "NO_COLOR=1 sh -c '$run'; touch $done_flag; sleep 60"
  for _ in $(seq 600); do [ -e "$done_flag" ] && break; sleep 0.2; done
  { echo "\$ comparer diff … (tmux, $width columns, no COLUMNS)"; tmux -S "$socket" capture-pane -p -J -S 0 -E 199 | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'; } > "docs/terminal-$width.txt"
  tmux -S "$socket" kill-server; rm -f "$done_flag"
  echo "docs/terminal-$width.txt"
done
