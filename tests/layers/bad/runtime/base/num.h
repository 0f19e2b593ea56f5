/* the base layer reaching up to the VM */
#include "runtime/vm/vm.h"
#include "runtime/base/ok.h"
