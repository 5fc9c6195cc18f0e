/* Error numbers: Linux's values, returned negated (-EINVAL) by kernel functions. */
#ifndef HARTIX_ERRNO_H
#define HARTIX_ERRNO_H

#include <abi/errno.h>

#endif
