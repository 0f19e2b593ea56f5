# extract.awk - split one Markdown file into the steps the doc test runs.
#
#   awk -v out=DIR -v doc=NAME -f extract.awk FILE.md
#
# Fenced code blocks are of four kinds:
#   - a session: its first line starts with "$ ".  Each "$ COMMAND" line
#     (continued by a trailing backslash) is a command; the lines after it,
#     up to the next "$ " line or the end of the block, are its output
#     exactly ("..." on a line of its own stands for any lines);
#   - a file: the line before the fence is <!-- doc-test: file NAME -->;
#     the block is written to NAME in the working directory;
#   - skipped: the line before the fence is <!-- doc-test: skip REASON -->;
#   - anything else (policies, data, listings) is prose, unless a line of
#     it looks like a command without its "$ ": that is an error, so that
#     no command in the docs escapes the test unmarked.
# A marker that is neither is an error (badmarker), and so is a block
# that is never closed (unclosed).
# Each step is written to DIR as NNN.kind (cmd, file, skip, unmarked,
# badmarker or unclosed),
# NNN.line (the line in FILE.md), NNN.text (the command, the file name or
# the reason) and NNN.body (the output shown, or the file's content).

function step(kind, text) {
  if (body != "") close(body)
  n++
  id = sprintf("%s/%03d", out, n)
  print kind > (id ".kind"); close(id ".kind")
  print NR > (id ".line"); close(id ".line")
  printf "%s\n", text > (id ".text"); close(id ".text")
  printf "" > (id ".body")
  body = id ".body"
}

function looks_like_command(line) {
  return line ~ /^(sudo |\.\/)?(slac|build\/slac|sh|bash|cmake|ctest|cpack|cc|gcc|man|jq|git|apt-get|pkg-config|npm|dpkg|dpkg-deb|UPDATE=[^ ]*)( |$)/
}

BEGIN { n = 0; infence = 0; marker = "" }

/^[ ]*```/ {
  if (!infence) {
    infence = 1
    kind = ""                       # decided by the first line
    fence_marker = marker
    marker = ""
    if (fence_marker ~ /^file /) {
      step("file", substr(fence_marker, 6))
      kind = "file"
    } else if (fence_marker ~ /^skip [^ ]/) {
      step("skip", substr(fence_marker, 6))
      kind = "skip"
    } else if (fence_marker != "") {
      step("badmarker", fence_marker)
    }
    incommand = 0
    next
  }
  infence = 0
  if (kind == "session" && incommand) { close(cmdfile) }
  close(body)
  next
}

infence && kind == "file" { print > body; next }
infence && kind == "skip" { next }

infence {
  if (kind == "" && $0 ~ /^\$ /) kind = "session"
  else if (kind == "") kind = "prose"
  if (kind == "session") {
    if (incommand && continued) {
      # a continuation line of the command
      print > cmdfile
      continued = ($0 ~ /\\$/)
      next
    }
    if ($0 ~ /^\$ /) {
      step("cmd", "")
      cmdfile = id ".text"
      printf "%s\n", substr($0, 3) > cmdfile
      incommand = 1
      continued = ($0 ~ /\\$/)
      next
    }
    print > body
    next
  }
  if (looks_like_command($0)) step("unmarked", $0)
  next
}

# the marker is the last non-blank line before a fence
/^<!-- doc-test: .* -->[ ]*$/ {
  marker = $0
  sub(/^<!-- doc-test: /, "", marker)
  sub(/ -->[ ]*$/, "", marker)
  next
}
/[^ ]/ { marker = "" }

# a block left open swallows the rest of the document unseen
END { if (infence) step("unclosed", "a code block is not closed") }
