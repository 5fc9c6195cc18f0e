/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot arguments: build the command line from the FDT and CONFIG_CMDLINE, dispatch each word. */
#include <hartix/cmdline.h>
#include <hartix/errno.h>
#include <hartix/params.h>
#include <hartix/printk.h>
#include <hartix/string.h>

#define COMMAND_LINE_SIZE 1024

char boot_command_line[COMMAND_LINE_SIZE];
char *init_args = "";

extern const struct kernel_param __kernel_params_start[],
	__kernel_params_end[];

static void append(const char *s)
{
	size_t used = strlen(boot_command_line);

	if (!s || !*s)
		return;
	if (used && used + 1 < sizeof(boot_command_line))
		boot_command_line[used++] = ' ';
	if (strscpy(boot_command_line + used, s,
		    sizeof(boot_command_line) - used) < 0)
		pr_warn("Kernel command line longer than %d bytes, truncated\n",
			COMMAND_LINE_SIZE - 1);
}

int param_parse_uint(const char *val, unsigned int min, unsigned int max,
		     unsigned int *out)
{
	unsigned int n;

	if (!val || kstrtouint(val, 10, &n) || n < min || n > max)
		return -EINVAL;
	*out = n;
	return 0;
}

static void dispatch(char *param, char *val)
{
	const struct kernel_param *p;

	for (p = __kernel_params_start; p < __kernel_params_end; p++) {
		if (strcmp(p->name, param))
			continue;
		if (p->set(val))
			pr_warn("Malformed value in \"%s%s%s\", ignored\n", param,
				val ? "=" : "", val ? val : "");
		return;
	}
	pr_warn("Unknown kernel command line parameter \"%s%s%s\", ignored\n",
		param, val ? "=" : "", val ? val : "");
}

void parse_boot_args(const char *bootloader_args)
{
	static char scratch[COMMAND_LINE_SIZE];
	const char *builtin = CONFIG_CMDLINE;
	char *args, *param, *val;

	if (IS_ENABLED(CONFIG_CMDLINE_FORCE) ||
	    (IS_ENABLED(CONFIG_CMDLINE_FALLBACK) &&
	     (!bootloader_args || !*bootloader_args))) {
		append(builtin);
	} else {
		append(bootloader_args);
		if (IS_ENABLED(CONFIG_CMDLINE_EXTEND))
			append(builtin);
	}
	pr_info("Kernel command line: %s\n", boot_command_line);

	strscpy(scratch, boot_command_line, sizeof(scratch));
	args = skip_spaces(scratch);
	while (*args) {
		args = next_arg(args, &param, &val);
		/* As in Linux, everything after "--" is for init. */
		if (param && !strcmp(param, "--") && !val) {
			init_args = args;
			break;
		}
		if (param && *param)
			dispatch(param, val);
	}
}
