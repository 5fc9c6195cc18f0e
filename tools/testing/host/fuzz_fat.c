/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: a FAT image mounted, its tree walked, then entries and clusters added and removed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fat_img.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define EXPECT(cond)                      \
	do {                              \
		if (!(cond))              \
			abort();          \
	} while (0)

/* Changes the kernel makes: a file with a long name and a cluster, a directory, removals. */
static void mutate(struct fat_img *im)
{
	static const char name[] = "Fuzzed entry with a long name.txt";
	u8 raw[FAT_DIRENT_SIZE];
	struct fat_dirent de, found;
	u32 root = img_root(im), clus = 0, dirclus = 0, len = sizeof(name) - 1, free_before;
	int err;

	if (fat_alloc(&im->v, 0, &clus))
		clus = 0;
	else
		EXPECT(!fat_next(&im->v, clus, &dirclus) && dirclus == FAT_EOC);
	EXPECT(im->v.free_count <= im->v.g.nr_clusters);
	fat_dirent_build(raw, (const u8 *)"           ", FAT_ATTR_ARCH, clus, clus ? 1 : 0);
	err = fat_dir_add(&im->v, root, name, len, raw, &de);
	if (!err) {
		/* What was written is found again, by either name. */
		EXPECT(!fat_dir_lookup(&im->v, root, "FUZZED ENTRY WITH A LONG NAME.TXT", len, &found));
		EXPECT(!fat_dir_lookup(&im->v, root, de.sname, (u32)strlen(de.sname), &found));
		EXPECT(!fat_dir_remove(&im->v, root, de.first_slot, de.nslots));
	}
	free_before = im->v.free_count;
	if (clus && !fat_free_chain(&im->v, clus))
		EXPECT(im->v.free_count == free_before + 1);
	if (!fat_alloc(&im->v, 0, &dirclus)) {
		fat_dirent_build(raw, (const u8 *)"           ", FAT_ATTR_DIR, dirclus, 0);
		if (!fat_dir_init(&im->v, dirclus, 0, raw))
			EXPECT(fat_dir_empty(&im->v, dirclus) == 1);
		fat_dir_set_parent(&im->v, dirclus, 0);
		fat_free_chain(&im->v, dirclus);
	}
	fat_set_clean(&im->v, false);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fat_img im = { 0 };
	struct img_walk w = { .budget = 2000 };
	struct fat_dirent de;
	const char *why;
	bool clean;

	im.data = malloc(size ? size : 1);
	EXPECT(im.data);
	memcpy(im.data, data, size);
	im.size = size;
	if (img_mount(&im, &why)) {
		EXPECT(why);
		free(im.data);
		return 0;
	}
	EXPECT(im.v.g.nr_clusters >= 1);
	EXPECT(im.v.g.data_sector + (u64)im.v.g.nr_clusters * im.v.g.sec_per_clus <=
	       im.v.g.total_sectors);
	EXPECT((u64)im.v.g.total_sectors * im.v.g.sector_size <= size);
	img_walk_dir(&im, img_root(&im), 8, &w);
	fat_dir_lookup(&im.v, img_root(&im), "README", 6, &de);
	fat_is_clean(&im.v, &clean);
	if (!fat_count_free(&im.v))
		EXPECT(im.v.free_count <= im.v.g.nr_clusters);
	mutate(&im);
	free(im.data);
	return 0;
}
