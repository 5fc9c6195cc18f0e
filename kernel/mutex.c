// SPDX-License-Identifier: BSD-2-Clause
/* Sleeping locks (include/hartix/mutex.h): a wait queue and an owner. */
#include <hartix/mutex.h>
#include <hartix/spinlock.h>

/* Called by wait_event() with m->wait.lock held. */
static bool mutex_grab(void *arg)
{
	struct mutex *m = arg;

	if (m->owner)
		return false;
	m->owner = current_task();
	return true;
}

void mutex_lock(struct mutex *m)
{
	wait_event(&m->wait, mutex_grab, m);
}

bool mutex_trylock(struct mutex *m)
{
	unsigned long flags = spin_lock_irqsave(&m->wait.lock);
	bool got = mutex_grab(m);

	spin_unlock_irqrestore(&m->wait.lock, flags);
	return got;
}

void mutex_unlock(struct mutex *m)
{
	unsigned long flags = spin_lock_irqsave(&m->wait.lock);

	m->owner = NULL;
	spin_unlock_irqrestore(&m->wait.lock, flags);
	wake_up(&m->wait);
}
