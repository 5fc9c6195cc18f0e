/* SPDX-License-Identifier: BSD-2-Clause */
/* Atomic accesses to a user futex word (lw, sw, lr/sc, AMOs), each with an exception-table fixup. */
#ifndef ASM_FUTEX_H
#define ASM_FUTEX_H

#include <asm/csr.h>
#include <asm/extable.h>
#include <abi/futex.h>

/*
 * The caller checked the word is 4-byte aligned and in the user half.
 * sstatus.SUM is set only around the access. A fault on a valid region
 * is resolved by the trap code and the instruction retried (so these may
 * run with a spinlock held, interrupts on); any other resumes at the
 * fixup, which makes the result -EFAULT. The accesses are single 32-bit
 * instructions, so another thread never sees half of one.
 */
#define __futex_asm(insn, _ret, _out, _uaddr, _in)                       \
	__asm__ __volatile__("1:	" insn "\n"                          \
			     "2:\n"                                          \
			     "	.pushsection .fixup, \"ax\"\n"               \
			     "3:	li %[ret], %[efault]\n"              \
			     "	j 2b\n"                                      \
			     "	.popsection\n"                               \
			     _ASM_EXTABLE(1b, 3b)                            \
			     : [ret] "+r"(_ret), [out] "=&r"(_out),          \
			       [u] "+A"(*(_uaddr))                           \
			     : [in] "r"(_in), [efault] "i"(-EFAULT)          \
			     : "memory")

static inline int futex_get_user(u32 *val, u32 *uaddr)
{
	int ret = 0;
	u32 v = 0;

	csr_set(CSR_SSTATUS, SR_SUM);
	__futex_asm("lw %[out], %[u]", ret, v, uaddr, 0);
	csr_clear(CSR_SSTATUS, SR_SUM);
	*val = v;
	return ret;
}

static inline int futex_put_user(u32 val, u32 *uaddr)
{
	int ret = 0;
	u32 unused;

	csr_set(CSR_SSTATUS, SR_SUM);
	__futex_asm("sw %[in], %[u]", ret, unused, uaddr, val);
	csr_clear(CSR_SSTATUS, SR_SUM);
	(void)unused;
	return ret;
}

/*
 * *uaddr = newval if it is oldval, as one atomic step (a full barrier);
 * *curval is what was there. 0 or -EFAULT.
 */
static inline int futex_cmpxchg_user(u32 *curval, u32 *uaddr, u32 oldval,
				     u32 newval)
{
	int ret = 0;
	u32 v = 0;
	unsigned long fail;

	csr_set(CSR_SSTATUS, SR_SUM);
	__asm__ __volatile__("1:	lr.w.aqrl %[v], %[u]\n"
			     "	bne %[v], %z[old], 3f\n"
			     "2:	sc.w.aqrl %[fail], %z[new], %[u]\n"
			     "	bnez %[fail], 1b\n"
			     "3:\n"
			     "	.pushsection .fixup, \"ax\"\n"
			     "4:	li %[ret], %[efault]\n"
			     "	j 3b\n"
			     "	.popsection\n"
			     _ASM_EXTABLE(1b, 4b)
			     _ASM_EXTABLE(2b, 4b)
			     : [ret] "+r"(ret), [v] "=&r"(v), [fail] "=&r"(fail),
			       [u] "+A"(*uaddr)
			     : [old] "rJ"((long)(s32)oldval),
			       [new] "rJ"(newval), [efault] "i"(-EFAULT)
			     : "memory");
	csr_clear(CSR_SSTATUS, SR_SUM);
	*curval = v;
	return ret;
}

/*
 * FUTEX_WAKE_OP's operation on *uaddr with oparg, atomically (an AMO with
 * a full barrier); *oldval is the value before. 0, -EFAULT, or -ENOSYS
 * for an unknown op (nothing written).
 */
static inline int futex_atomic_op_user(unsigned int op, u32 oparg,
				       u32 *oldval, u32 *uaddr)
{
	int ret = 0;
	u32 old = 0;

	csr_set(CSR_SSTATUS, SR_SUM);
	switch (op) {
	case FUTEX_OP_SET:
		__futex_asm("amoswap.w.aqrl %[out], %[in], %[u]", ret, old, uaddr, oparg);
		break;
	case FUTEX_OP_ADD:
		__futex_asm("amoadd.w.aqrl %[out], %[in], %[u]", ret, old, uaddr, oparg);
		break;
	case FUTEX_OP_OR:
		__futex_asm("amoor.w.aqrl %[out], %[in], %[u]", ret, old, uaddr, oparg);
		break;
	case FUTEX_OP_ANDN:
		__futex_asm("amoand.w.aqrl %[out], %[in], %[u]", ret, old, uaddr, ~oparg);
		break;
	case FUTEX_OP_XOR:
		__futex_asm("amoxor.w.aqrl %[out], %[in], %[u]", ret, old, uaddr, oparg);
		break;
	default:
		ret = -ENOSYS;
	}
	csr_clear(CSR_SSTATUS, SR_SUM);
	*oldval = old;
	return ret;
}

#endif
