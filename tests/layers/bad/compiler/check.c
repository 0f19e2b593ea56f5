#include <stdio.h>
#include "parser.h"
#include "tools/x.h"
#include "runtime/vm/vm.h"
