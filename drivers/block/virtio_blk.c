/* SPDX-License-Identifier: BSD-2-Clause */
/* virtio-blk: a disk over one virtqueue, several requests in flight, completed by interrupt. */
#include <hartix/blkdev.h>
#include <hartix/errno.h>
#include <hartix/kernel.h>
#include <hartix/printk.h>
#include <hartix/sched.h>
#include <hartix/slab.h>
#include <hartix/sprintf.h>
#include <hartix/virtio.h>
#include <asm/page.h>

/* Feature bits (virtio 1.2, 5.2.3). */
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_FLUSH 9

#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4

#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_UNSUPP 2

/* The configuration space's first field: the size in 512-byte sectors. */
#define VIRTIO_BLK_CONFIG_CAPACITY 0

/*
 * A request in flight: the device reads hdr, reads or writes the data
 * (one descriptor per page it spans), writes status. kmalloc'd, so hdr
 * and status have physical addresses (kernel stacks are vmalloc'd).
 */
struct virtblk_req {
	struct {
		u32 type;
		u32 reserved;
		u64 sector;
	} hdr;
	u8 status;
	struct bio *bio;
};

/*
 * Data descriptors a request may have, plus header and status: a bio's
 * BIO_MAX_SEGS segments of BIO_MAX_BYTES may span this many pieces.
 */
#define VIRTBLK_MAX_SEGS 32

struct virtblk {
	struct block_device disk;
	struct virtqueue *vq;
	/* Submitters wait here for free descriptors; completions wake them. */
	struct wait_queue room;
};

static int virtblk_count;

static void virtblk_done(struct virtqueue *vq)
{
	struct virtblk *vb = virtqueue_device(vq)->priv;
	struct virtblk_req *req;
	bool freed = false;

	while ((req = virtqueue_get_buf(vq, NULL))) {
		struct bio *bio = req->bio;

		bio->status = req->status == VIRTIO_BLK_S_OK ? 0 :
			      req->status == VIRTIO_BLK_S_UNSUPP ? -EOPNOTSUPP : -EIO;
		kfree(req);
		freed = true;
		bio->end_io(bio);
	}
	if (freed)
		wake_up(&vb->room);
}

/*
 * Descriptors for bio's data (its buffer, or each of its segments in
 * turn), split at page boundaries; their count, 0 if more than
 * VIRTBLK_MAX_SEGS.
 */
static unsigned int virtblk_map(const struct bio *bio, struct virtio_buf *bufs)
{
	const struct bio_seg one = { bio->buf, bio->len };
	const struct bio_seg *seg = bio->nr_segs ? bio->segs : &one;
	unsigned int nr_segs = bio->nr_segs ? bio->nr_segs : 1, n = 0, i;

	for (i = 0; i < nr_segs; i++) {
		u32 done = 0;

		while (done < seg[i].len) {
			char *p = (char *)seg[i].buf + done;
			u32 chunk = (u32)min((unsigned long)(seg[i].len - done),
					     PAGE_SIZE - ((unsigned long)p & (PAGE_SIZE - 1)));

			/* Direct-map pages are physically contiguous: merge neighbours. */
			if (n && bufs[n - 1].addr + bufs[n - 1].len == virt_to_phys(p))
				bufs[n - 1].len += chunk;
			else if (n == VIRTBLK_MAX_SEGS)
				return 0;
			else
				bufs[n++] = (struct virtio_buf){ virt_to_phys(p), chunk };
			done += chunk;
		}
	}
	return n;
}

struct virtblk_room {
	struct virtblk *vb;
	struct virtblk_req *req;
	struct virtio_buf *bufs;
	unsigned int nr_out, nr_in;
	int err;
};

static bool virtblk_try_add(void *arg)
{
	struct virtblk_room *r = arg;

	r->err = virtqueue_add(r->vb->vq, r->bufs, r->nr_out, r->nr_in, r->req);
	return r->err != -ENOSPC;
}

static void virtblk_submit(struct block_device *disk, struct bio *bio)
{
	struct virtblk *vb = disk->priv;
	struct virtio_buf bufs[VIRTBLK_MAX_SEGS + 2];
	struct virtblk_room r = { vb, NULL, bufs, 1, 1, 0 };
	unsigned int nr_data = 0;

	if (bio->op == BIO_FLUSH && !virtio_has_feature(virtqueue_device(vb->vq),
							VIRTIO_BLK_F_FLUSH)) {
		bio->status = 0; /* no write cache to flush */
		bio->end_io(bio);
		return;
	}
	if (bio->op != BIO_FLUSH) {
		nr_data = virtblk_map(bio, bufs + 1);
		if (!nr_data) {
			bio->status = -EINVAL; /* more pieces than a request takes */
			bio->end_io(bio);
			return;
		}
	}
	r.req = kmalloc(sizeof(*r.req), GFP_KERNEL);
	if (!r.req) {
		bio->status = -ENOMEM;
		bio->end_io(bio);
		return;
	}
	r.req->hdr.type = bio->op == BIO_READ ? VIRTIO_BLK_T_IN :
			  bio->op == BIO_WRITE ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_FLUSH;
	r.req->hdr.reserved = 0;
	r.req->hdr.sector = bio->op == BIO_FLUSH ? 0 : bio->sector;
	r.req->status = 0xff;
	r.req->bio = bio;
	bufs[0] = (struct virtio_buf){ virt_to_phys(&r.req->hdr), sizeof(r.req->hdr) };
	if (bio->op == BIO_WRITE)
		r.nr_out += nr_data;
	else
		r.nr_in += nr_data;
	bufs[1 + nr_data] = (struct virtio_buf){ virt_to_phys(&r.req->status), 1 };
	if (1 + nr_data + 1 > virtqueue_size(vb->vq)) {
		r.err = -EINVAL; /* could never fit: the queue is smaller */
	} else {
		wait_event(&vb->room, virtblk_try_add, &r);
	}
	if (r.err) {
		kfree(r.req);
		bio->status = r.err;
		bio->end_io(bio);
		return;
	}
	virtqueue_kick(vb->vq);
}

static const struct block_device_ops virtblk_ops = {
	.submit = virtblk_submit,
};

static int virtblk_probe(struct virtio_device *vdev)
{
	struct virtblk *vb;
	u64 capacity;
	int err;

	err = virtio_negotiate(vdev, (1ULL << VIRTIO_BLK_F_RO) | (1ULL << VIRTIO_BLK_F_FLUSH));
	if (err)
		return err;
	vb = kzalloc(sizeof(*vb), GFP_KERNEL);
	if (!vb)
		return -ENOMEM;
	vdev->priv = vb;
	vb->room = (struct wait_queue)WAIT_QUEUE_INIT;
	vb->vq = virtio_find_vq(vdev, 0, VIRTBLK_MAX_SEGS * 4, virtblk_done);
	if (!vb->vq) {
		kfree(vb);
		return -ENODEV;
	}
	virtio_read_config(vdev, VIRTIO_BLK_CONFIG_CAPACITY, &capacity, sizeof(capacity));
	snprintf(vb->disk.name, sizeof(vb->disk.name), "vd%c", 'a' + virtblk_count++);
	vb->disk.nr_sectors = capacity;
	vb->disk.read_only = virtio_has_feature(vdev, VIRTIO_BLK_F_RO);
	vb->disk.ops = &virtblk_ops;
	vb->disk.priv = vb;
	virtio_ready(vdev);
	pr_info("%s: virtio-blk, %llu sectors (%llu MiB)%s%s\n", vb->disk.name,
		(unsigned long long)capacity, (unsigned long long)(capacity >> 11),
		vb->disk.read_only ? ", read-only" : "",
		virtio_has_feature(vdev, VIRTIO_BLK_F_FLUSH) ? ", write cache" : "");
	blk_register_disk(&vb->disk);
	return 0;
}

static const struct virtio_driver virtblk_driver = {
	.name = "virtio-blk",
	.id = VIRTIO_ID_BLOCK,
	.probe = virtblk_probe,
};
virtio_driver_register(virtblk_driver);
