#include "CLineEdit.h"
#include <histedit.h>
int cle_version(void) { return LIBEDIT_MAJOR * 100 + LIBEDIT_MINOR; }
