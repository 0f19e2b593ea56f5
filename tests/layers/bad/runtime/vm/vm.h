/* a VM header may use base */
#include "runtime/base/ok.h"
