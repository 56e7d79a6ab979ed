#ifndef TREUE_CPCRE2_SHIM_H
#define TREUE_CPCRE2_SHIM_H
// PCRE2's public names are macros over the width-suffixed functions; fixing the width
// here lets Swift call pcre2_compile_8 and friends directly.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#endif
