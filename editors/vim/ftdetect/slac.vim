" .sla files are slac policies
autocmd BufNewFile,BufRead *.sla setfiletype slac
