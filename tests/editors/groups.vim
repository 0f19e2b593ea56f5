" groups.vim - for tests/editors/run.sh: the syntax group at each place
" listed in g:expect (LINE COL ...), one "LINE COL GROUP" line each in
" g:out ('-' for none).
let s:out = []
for s:l in readfile(g:expect)
  if s:l =~ '^#' || s:l =~ '^\s*$'
    continue
  endif
  let s:f = split(s:l)
  let s:name = synIDattr(synID(str2nr(s:f[0]), str2nr(s:f[1]), 1), 'name')
  call add(s:out, s:f[0] . ' ' . s:f[1] . ' ' . (s:name == '' ? '-' : s:name))
endfor
call writefile(s:out, g:out)
qall!
