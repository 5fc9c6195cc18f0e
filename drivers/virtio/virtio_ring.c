/* SPDX-License-Identifier: BSD-2-Clause */
/* Split virtqueues (virtio 1.2, 2.7): descriptor table, available and used rings in one page-aligned block. */
#include <hartix/errno.h>
#include <hartix/kernel.h>
#include <hartix/mm.h>
#include <hartix/slab.h>
#include <hartix/string.h>
#include <asm/page.h>
#include "virtio_internal.h"

#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2

struct vring_desc {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
};

struct vring_avail {
	u16 flags;
	u16 idx;
	u16 ring[];
};

struct vring_used_elem {
	u32 id;
	u32 len;
};

struct vring_used {
	u16 flags;
	u16 idx;
	struct vring_used_elem ring[];
};

/*
 * lock protects the free descriptor list, the avail ring and last_used:
 * submitters on any hart and the interrupt handler (which runs the
 * callback without it) take it with interrupts off.
 */
struct virtqueue {
	struct virtio_device *vdev;
	unsigned int index, num;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	void *ring_mem;
	unsigned int ring_order;
	spinlock_t lock;
	u16 free_head, num_free, last_used, avail_idx;
	void (*callback)(struct virtqueue *vq);
	void *tokens[]; /* by head descriptor */
};

/* Largest queue a driver gets: 128 descriptors fill the legacy layout's first page. */
#define VQ_MAX_ENTRIES 128

static size_t align_up(size_t x, size_t a)
{
	return (x + a - 1) & ~(a - 1);
}

struct virtqueue *virtio_find_vq(struct virtio_device *vdev, unsigned int index,
				 unsigned int max_entries,
				 void (*callback)(struct virtqueue *vq))
{
	unsigned int num = virtio_queue_max(vdev, index), i;
	size_t avail_off, used_off, bytes;
	struct virtqueue *vq;

	if (!num || index >= ARRAY_SIZE(vdev->vqs))
		return NULL;
	num = min(num, min(max_entries, (unsigned int)VQ_MAX_ENTRIES));
	/* Queue sizes are powers of two (a legacy device insists). */
	while (num & (num - 1))
		num &= num - 1;
	vq = kzalloc(sizeof(*vq) + num * sizeof(vq->tokens[0]), GFP_KERNEL);
	if (!vq)
		return NULL;
	avail_off = num * sizeof(struct vring_desc);
	used_off = align_up(avail_off + sizeof(struct vring_avail) + (num + 1) * 2,
			    VIRTIO_LEGACY_ALIGN);
	bytes = used_off + sizeof(struct vring_used) +
		num * sizeof(struct vring_used_elem) + 2;
	while ((PAGE_SIZE << vq->ring_order) < bytes)
		vq->ring_order++;
	vq->ring_mem = alloc_pages(vq->ring_order, GFP_KERNEL);
	if (!vq->ring_mem) {
		kfree(vq);
		return NULL;
	}
	memset(vq->ring_mem, 0, PAGE_SIZE << vq->ring_order);
	vq->vdev = vdev;
	vq->index = index;
	vq->num = num;
	vq->desc = vq->ring_mem;
	vq->avail = (void *)((char *)vq->ring_mem + avail_off);
	vq->used = (void *)((char *)vq->ring_mem + used_off);
	vq->callback = callback;
	vq->lock = (spinlock_t)SPINLOCK_UNLOCKED;
	for (i = 0; i + 1 < num; i++)
		vq->desc[i].next = (u16)(i + 1);
	vq->num_free = (u16)num;
	vdev->vqs[index] = vq;
	virtio_queue_activate(vdev, index, num, virt_to_phys(vq->desc),
			      virt_to_phys(vq->avail), virt_to_phys(vq->used));
	return vq;
}

void virtio_free_vqs(struct virtio_device *vdev)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vdev->vqs); i++) {
		struct virtqueue *vq = vdev->vqs[i];

		if (!vq)
			continue;
		free_pages(vq->ring_mem, vq->ring_order);
		kfree(vq);
		vdev->vqs[i] = NULL;
	}
}

int virtqueue_add(struct virtqueue *vq, const struct virtio_buf *bufs,
		  unsigned int nr_out, unsigned int nr_in, void *token)
{
	unsigned int n = nr_out + nr_in, i;
	unsigned long flags;
	u16 head, d;

	if (!n || n > vq->num)
		return -EINVAL;
	flags = spin_lock_irqsave(&vq->lock);
	if (vq->num_free < n) {
		spin_unlock_irqrestore(&vq->lock, flags);
		return -ENOSPC;
	}
	head = d = vq->free_head;
	for (i = 0; i < n; i++) {
		struct vring_desc *desc = &vq->desc[d];

		desc->addr = bufs[i].addr;
		desc->len = bufs[i].len;
		desc->flags = (u16)((i >= nr_out ? VRING_DESC_F_WRITE : 0) |
				    (i + 1 < n ? VRING_DESC_F_NEXT : 0));
		if (i + 1 < n)
			d = desc->next;
	}
	vq->free_head = vq->desc[d].next;
	vq->num_free -= (u16)n;
	vq->tokens[head] = token;
	vq->avail->ring[vq->avail_idx % vq->num] = head;
	/* The device may read the ring entry once it sees the new index. */
	__asm__ __volatile__("fence w,w" ::: "memory");
	vq->avail->idx = ++vq->avail_idx;
	spin_unlock_irqrestore(&vq->lock, flags);
	return 0;
}

void virtqueue_kick(struct virtqueue *vq)
{
	/* The index store must reach memory before the device is told (writel orders w,o). */
	virtio_queue_notify(vq->vdev, vq->index);
}

void *virtqueue_get_buf(struct virtqueue *vq, u32 *len)
{
	unsigned long flags = spin_lock_irqsave(&vq->lock);
	struct vring_used_elem e;
	void *token = NULL;
	u16 d;

	if (vq->last_used == *(volatile u16 *)&vq->used->idx)
		goto out;
	/* The element is valid once the index says so. */
	__asm__ __volatile__("fence r,r" ::: "memory");
	e = vq->used->ring[vq->last_used % vq->num];
	vq->last_used++;
	if (e.id >= vq->num || !vq->tokens[e.id])
		goto out; /* a device that names no request of ours: ignore it */
	token = vq->tokens[e.id];
	vq->tokens[e.id] = NULL;
	if (len)
		*len = e.len;
	/* Give the chain back to the free list. */
	for (d = (u16)e.id;; d = vq->desc[d].next) {
		vq->num_free++;
		if (!(vq->desc[d].flags & VRING_DESC_F_NEXT))
			break;
	}
	vq->desc[d].next = vq->free_head;
	vq->free_head = (u16)e.id;
out:
	spin_unlock_irqrestore(&vq->lock, flags);
	return token;
}

void virtqueue_interrupt(struct virtqueue *vq)
{
	if (vq->callback)
		vq->callback(vq);
}

unsigned int virtqueue_size(const struct virtqueue *vq)
{
	return vq->num;
}

struct virtio_device *virtqueue_device(const struct virtqueue *vq)
{
	return vq->vdev;
}
