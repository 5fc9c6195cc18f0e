/* SPDX-License-Identifier: BSD-2-Clause */
/* Circular doubly linked lists through a node embedded in each object, as Linux's list_head. */
#ifndef HARTIX_LIST_H
#define HARTIX_LIST_H

#include <hartix/compiler.h>
#include <hartix/types.h>

/* A list's head, or a node in an object; an empty list points at itself. */
struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)

static inline bool list_empty(const struct list_head *head)
{
	return head->next == head;
}

static inline void list_add_tail(struct list_head *node, struct list_head *head)
{
	node->prev = head->prev;
	node->next = head;
	head->prev->next = node;
	head->prev = node;
}

static inline void list_del(struct list_head *node)
{
	node->prev->next = node->next;
	node->next->prev = node->prev;
	node->next = node->prev = NULL;
}

static inline void list_move_tail(struct list_head *node, struct list_head *head)
{
	list_del(node);
	list_add_tail(node, head);
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)

/* From the head's first to its last; pos may not leave the list in the body. */
#define list_for_each_entry(pos, head, member)                                   \
	for (pos = list_entry((head)->next, __typeof__(*pos), member);           \
	     &pos->member != (head);                                              \
	     pos = list_entry(pos->member.next, __typeof__(*pos), member))

/* The same, with the next one read first: the body may unlink or move pos. */
#define list_for_each_entry_safe(pos, n, head, member)                           \
	for (pos = list_entry((head)->next, __typeof__(*pos), member),           \
	     n = list_entry(pos->member.next, __typeof__(*pos), member);          \
	     &pos->member != (head);                                              \
	     pos = n, n = list_entry(n->member.next, __typeof__(*n), member))

#endif
