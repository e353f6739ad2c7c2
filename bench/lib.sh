# Helpers shared by the bench scripts: `source "$(dirname "$0")/lib.sh"`.
# They read RUNS (how many runs each measurement takes).

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Runs "setup; command" RUNS times; prints "median_seconds median_peak_MB
# all_seconds" (the last as 1.2/1.3/1.1).
measure() {
  local setup=$1; shift
  local times=() mems=()
  for _ in $(seq "$RUNS"); do
    eval "$setup"
    local line log
    log=$(mktemp)
    # A failed command is no time (a full disk once gave a table of
    # builds that had stopped half way): say why, and stop.
    if ! /usr/bin/time -f "%e %M" "$@" >/dev/null 2>"$log"; then
      echo "bench: failed: $*" >&2
      tail -5 "$log" >&2
      rm -f "$log"
      exit 1
    fi
    line=$(tail -1 "$log")
    rm -f "$log"
    times+=("${line% *}"); mems+=("${line#* }")
  done
  printf '%s %s %s\n' "$(printf '%s\n' "${times[@]}" | median)" \
    "$(printf '%s\n' "${mems[@]}" | median | awk '{printf "%.0f", $1/1024}')" \
    "$(IFS=/; echo "${times[*]}")"
}
# The fields of measure's result.
secs() { local r=($1); echo "${r[0]}"; }
mb() { local r=($1); echo "${r[1]}"; }

# The file system DIR is on, as the result files name it: "ext4", or
# "ext4 on a loop device (direct I/O on)". A loop device without direct
# I/O keeps every written block twice in the page cache (its own and the
# image file's), and the kernel's writeback of both runs beside the build.
file_system() {
  local dev fs dio
  read -r dev fs < <(df -T "$1" | awk 'NR==2{print $1, $2}')
  dio=/sys/block/$(basename "$dev")/loop/dio
  if [ -r "$dio" ]; then
    [ "$(cat "$dio")" = 1 ] && dio=on || dio=off
    echo "$fs on a loop device (direct I/O $dio)"
  else
    echo "$fs"
  fi
}

# The shell command that removes a site's output and build caches.
clean() { echo "rm -rf '$1/public' '$1/.public.protokol-manifest' '$1/.protokol-cache'; sync"; }

# variant_site SITE DIR OUTPUTS...: DIR gets SITE's content (hard links)
# and its config.toml with `[outputs]` lines added ("search = false").
variant_site() {
  local site=$1 dir=$2; shift 2
  [ -f "$dir/config.toml" ] && return
  mkdir -p "$dir"
  cp -al "$site/content" "$dir/content"
  { cat "$site/config.toml"; printf '\n[outputs]\n'; printf '%s\n' "$@"; } > "$dir/config.toml"
}

# Moves the freshly written results NEW to OUT, keeping what OUT held
# below them: its tables as "Earlier run" (their headings one level
# down) and its dated notes as they are. A rerun adds to the record of
# what was measured; it never erases it.
keep_history() {
  local new=$1 out=$2
  if [ -f "$out" ]; then
    {
      cat "$new"
      printf '\n## Earlier run\n\n'
      awk 'NR == 1 && /^# / { title = 1; next }
           NR == 2 && title && /^$/ { next }
           /^## (20[0-9][0-9]-|Earlier)/ { notes = 1 }
           !notes && /^##/ { print "#" $0; next }
           { print }' "$out"
    } > "$new.merged"
    mv "$new.merged" "$out"
    rm -f "$new"
  else
    mv "$new" "$out"
  fi
}
