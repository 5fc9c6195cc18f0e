/* SPDX-License-Identifier: BSD-2-Clause */
/* false: does nothing, unsuccessfully. */
int main(void)
{
	return 1;
}
