/* panic(), BUG_ON() and WARN_ON(): the kernel's ways to stop or complain. */
#ifndef HARTIX_KERNEL_H
#define HARTIX_KERNEL_H

#include <hartix/compiler.h>
#include <hartix/printk.h>

struct pt_regs;

__printf(1, 2) __noreturn void panic(const char *fmt, ...);

/* An exception the kernel cannot handle: registers, backtrace, panic. */
__noreturn void die(struct pt_regs *regs, const char *what);

#define BUG() panic("kernel BUG at %s:%d (%s)", __FILE__, __LINE__, __func__)
#define BUG_ON(cond)              \
	do {                      \
		if (unlikely(cond)) \
			BUG();    \
	} while (0)

void dump_stack(void);

#define WARN_ON(cond)                                                     \
	({                                                                \
		bool __c = !!(cond);                                      \
		if (unlikely(__c)) {                                      \
			pr_warn("WARNING at %s:%d %s\n", __FILE__, __LINE__, \
				__func__);                                \
			dump_stack();                                     \
		}                                                         \
		__c;                                                      \
	})

#endif
