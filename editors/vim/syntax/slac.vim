" Vim syntax file for slac policies (.sla): see docs/tools.md.
" Keywords are the words of the language (grammar/lexer.l); the suite
" checks the groups at known places (tests/editors/run.sh).
if exists("b:current_syntax")
  finish
endif

syn case match

" the words of the language, from grammar/lexer.l
syn keyword slacKeyword above affected after ahead amount and announced applies are as at average
syn keyword slacKeyword below billing by calendar cause caveat charge charges claim commit count
syn keyword slacKeyword counts credit credited credits currency default downtime eligible empty end error errors
syn keyword slacKeyword exceed exclude fee fees for good greater if ignore in include interruption
syn keyword slacKeyword is issue kind least left measure minute minutes month monthly most never
syn keyword slacKeyword not note of only or out over overdue per period plan plans
syn keyword slacKeyword policy provider quarter rate requests required runs service services severe standing subject
syn keyword slacKeyword terms than ticket tier to unavailable up version when windows with within
syn keyword slacKeyword year
syn keyword slacKeyword UTC
" `contains` is an argument of :syn keyword, so it is matched
syn match slacKeyword "\<contains\>"

" the standard causes (docs/language.md)
syn keyword slacCause outage maintenance force_majeure customer third_party suspension termination aup_violation beta over_quota over_limit unauthorized

" numbers: bare or with a duration unit or calendar months, with a
" percent sign, an ordinal suffix or a currency code (of the matches that
" start at one place the last defined wins: the bare number comes first)
syn match slacNumber "-\=\<\d\+\(\.\d\+\)\=\(\s*\(s\|sec\|seconds\=\|min\|minutes\=\|h\|hours\=\|days\=\|weeks\=\|months\=\)\>\)\="
syn match slacNumber "-\=\<\d\+\(\.\d\+\)\=\s*%"
syn match slacNumber "\<\d\+\(st\|nd\|rd\|th\)\>"
syn match slacNumber "-\=\<\d\+\(\.\d\+\)\=\s*\u\u\u\>"

" §4, §5(ii), §\"Service Credits\"(ii)
syn match slacCitation "§\"[^\"]*\"[A-Za-z0-9_.()-]*"
syn match slacCitation "§[A-Za-z0-9_.()-]\+"

syn match slacArrow "->"
syn region slacString start=+"+ skip=+\\[\\"]+ end=+"+ end=+$+ oneline contains=slacEscape
syn match slacEscape contained +\\[\\"]+

syn keyword slacTodo contained TODO FIXME XXX NOTE
syn match slacComment "//.*$" contains=slacTodo
syn region slacComment start="/\*" end="\*/" contains=slacTodo

hi def link slacKeyword  Keyword
hi def link slacCause    Constant
hi def link slacNumber   Number
hi def link slacCitation Special
hi def link slacArrow    Operator
hi def link slacString   String
hi def link slacEscape   SpecialChar
hi def link slacComment  Comment
hi def link slacTodo     Todo

let b:current_syntax = "slac"
