/* SPDX-License-Identifier: BSD-2-Clause */
/* Address-to-symbol lookup over the table tools/kallsyms.py generates at link time. */
#include <hartix/kallsyms.h>
#include <hartix/kaslr.h>
#include <hartix/sprintf.h>

/* Generated: sorted offsets from kallsyms_base, one extra for the end of text. */
extern const unsigned long kallsyms_base;
extern const unsigned int kallsyms_num;
extern const unsigned int kallsyms_offsets[];
extern const unsigned int kallsyms_name_offsets[];
extern const char kallsyms_names[];

const char *kallsyms_lookup(unsigned long addr, unsigned long *size,
			    unsigned long *offset)
{
	unsigned int lo = 0, hi, mid;
	unsigned long rel;

	/* The table holds link addresses; KASLR moved the kernel from them. */
	addr -= kaslr_offset();
	if (!IS_ENABLED(CONFIG_KALLSYMS) || !kallsyms_num ||
	    addr < kallsyms_base)
		return NULL;
	rel = addr - kallsyms_base;
	if (rel >= kallsyms_offsets[kallsyms_num])
		return NULL;
	/* The last symbol starting at or below addr. */
	hi = kallsyms_num;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (kallsyms_offsets[mid] <= rel)
			lo = mid;
		else
			hi = mid;
	}
	if (kallsyms_offsets[lo] > rel)
		return NULL;
	*size = kallsyms_offsets[lo + 1] - kallsyms_offsets[lo];
	*offset = rel - kallsyms_offsets[lo];
	return kallsyms_names + kallsyms_name_offsets[lo];
}

const char *kallsyms_symbol(unsigned int i, unsigned long *addr)
{
	if (!IS_ENABLED(CONFIG_KALLSYMS) || i >= kallsyms_num)
		return NULL;
	*addr = kallsyms_base + kallsyms_offsets[i] + kaslr_offset();
	return kallsyms_names + kallsyms_name_offsets[i];
}

static char *format_symbol(char *buf, size_t len, unsigned long addr,
			   unsigned long bias)
{
	unsigned long size, offset;
	const char *name = kallsyms_lookup(addr - bias, &size, &offset);

	if (name)
		scnprintf(buf, len, "%s+%#lx/%#lx", name, offset + bias, size);
	else
		scnprintf(buf, len, "%#lx", addr);
	return buf;
}

char *sprint_symbol(char *buf, size_t len, unsigned long addr)
{
	return format_symbol(buf, len, addr, 0);
}

char *sprint_backtrace(char *buf, size_t len, unsigned long addr)
{
	return format_symbol(buf, len, addr, 1);
}
