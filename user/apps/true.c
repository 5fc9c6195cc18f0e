/* SPDX-License-Identifier: BSD-2-Clause */
/* true: does nothing, successfully. */
int main(void)
{
	return 0;
}
