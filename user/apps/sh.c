/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sh: the Hartix shell. Reads command lines from the terminal (the kernel's
 * line discipline edits them), a script file or -c, and runs them: quoting,
 * $VAR/$?, ; && || & |, < > >> 2> 2>&1, builtins, PATH search, and job
 * control when interactive (every job in its own process group, which owns
 * the terminal while it runs in the foreground).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <signal.h>

#define MAX_LINE	4096
#define MAX_JOBS	32
#define MAX_PIPE	16	/* commands in one pipeline */

/* ---------------------------------------------------------------------- */
/* Growing strings */

struct buf {
	char *s;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->s, cap);

		if (!p) {
			dprintf(2, "sh: out of memory\n");
			_exit(2);
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

static void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* ---------------------------------------------------------------------- */
/* Shell state */

static int last_status;		/* $? */
static int interactive;		/* job control and the prompt */
static pid_t shell_pgid;
static int script_argc;		/* $# and $1..$9 */
static char **script_argv;	/* [0] is $0 */

struct job {
	pid_t pgid;		/* 0: free slot */
	pid_t pids[MAX_PIPE];
	int npids, alive;
	int status;		/* of the last command of the pipeline */
	char *cmd;
};

static struct job jobs[MAX_JOBS];

/* Makes pgid the terminal's foreground group (with job control only). */
static void give_terminal(pid_t pgid)
{
	if (interactive)
		ioctl(0, TIOCSPGRP, &pgid);
}

/* Shell-style status: the exit status, or 128 + the signal that killed it. */
static int status_code(int st)
{
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

/* ---------------------------------------------------------------------- */
/* Words and operators */

enum tok_type { T_WORD, T_PIPE, T_OR, T_AND, T_AMP, T_SEMI, T_REDIR };
enum redir_kind { R_IN, R_OUT, R_APPEND, R_DUP };

struct tok {
	enum tok_type type;
	char *word;		/* T_WORD; the target of T_REDIR is the next word */
	int fd;			/* T_REDIR */
	enum redir_kind kind;	/* T_REDIR */
};

struct lexer {
	const char *p;
	struct tok *toks;
	int n, cap;
	const char *error;
};

static void add_tok(struct lexer *lx, struct tok t)
{
	if (lx->n == lx->cap) {
		struct tok *p = realloc(lx->toks, (lx->cap = lx->cap * 2 + 16) *
						  sizeof(*p));

		if (!p) {
			dprintf(2, "sh: out of memory\n");
			_exit(2);
		}
		lx->toks = p;
	}
	lx->toks[lx->n++] = t;
}

static int is_name_char(int c, int first)
{
	return c == '_' || isalpha(c) || (!first && isdigit(c));
}

/*
 * $... at *pp (just after the '$'): appends the value and moves *pp past
 * the name; -1 for a "${" without its '}'.
 */
static int expand_var(const char **pp, struct buf *w)
{
	const char *p = *pp, *val = NULL;
	char name[128], num[24];
	size_t n = 0;
	int braces = *p == '{';

	if (braces)
		p++;
	if (*p == '?' || *p == '$' || *p == '#' || isdigit((unsigned char)*p)) {
		if (*p == '?')
			snprintf(num, sizeof(num), "%d", last_status), val = num;
		else if (*p == '$')
			snprintf(num, sizeof(num), "%d", getpid()), val = num;
		else if (*p == '#')
			snprintf(num, sizeof(num), "%d", script_argc > 0 ? script_argc - 1 : 0),
				val = num;
		else
			val = *p - '0' < script_argc ? script_argv[*p - '0'] : "";
		p++;
	} else {
		while (is_name_char((unsigned char)*p, n == 0) && n < sizeof(name) - 1)
			name[n++] = *p++;
		name[n] = '\0';
		if (!n) {
			/* Not a parameter: a plain '$'. */
			buf_addc(w, '$');
			return 0;
		}
		val = getenv(name);
	}
	if (braces && *p++ != '}')
		return -1;
	*pp = p;
	if (val)
		buf_adds(w, val);
	return 0;
}

/*
 * A word as the lexer kept it, quotes and all: the quotes removed, $...
 * and a leading ~ expanded. NULL when an unquoted expansion came to
 * nothing, which is no word at all ("echo $UNSET x" has one argument).
 * The expansion happens when the command runs, so "X=1; echo $X" sees 1.
 */
static char *expand_word(const char *p)
{
	struct buf w = { 0 };
	int quoted = 0, expanded = 0;

	if (p[0] == '~' && (p[1] == '/' || !p[1])) {
		const char *home = getenv("HOME");

		buf_adds(&w, home ? home : "/");
		p++;
	}
	while (*p) {
		char c = *p++;

		if (c == '\\') {
			if (*p)
				buf_addc(&w, *p++);
			quoted = 1;
		} else if (c == '\'') {
			const char *end = strchr(p, '\'');

			buf_add(&w, p, end - p); /* the lexer saw the closing quote */
			p = end + 1;
			quoted = 1;
		} else if (c == '"') {
			quoted = 1;
			while (*p != '"') {
				c = *p++;
				if (c == '\\' && strchr("$`\"\\", *p))
					buf_addc(&w, *p++);
				else if (c == '$' && expand_var(&p, &w) < 0)
					dprintf(2, "sh: bad substitution\n");
				else if (c != '$')
					buf_addc(&w, c);
			}
			p++;
		} else if (c == '$') {
			if (expand_var(&p, &w) < 0)
				dprintf(2, "sh: bad substitution\n");
			expanded = 1;
		} else {
			buf_addc(&w, c);
		}
	}
	if (!quoted && expanded && !w.len) {
		free(w.s);
		return NULL;
	}
	if (!w.s)
		buf_add(&w, "", 0);
	return w.s;
}

/* One word at lx->p, kept as typed: it ends at a blank or an operator outside quotes. */
static void lex_word(struct lexer *lx)
{
	const char *start = lx->p, *p = lx->p;
	char *word;

	while (*p && !strchr(" \t\n;&|<>", *p)) {
		char c = *p++;

		if (c == '\\' && *p) {
			p++;
		} else if (c == '\'' || c == '"') {
			while (*p && *p != c)
				p += c == '"' && *p == '\\' && p[1] ? 2 : 1;
			if (!*p) {
				lx->error = "unterminated quoted string";
				return;
			}
			p++;
		}
	}
	lx->p = p;
	word = strndup(start, p - start);
	if (!word) {
		dprintf(2, "sh: out of memory\n");
		_exit(2);
	}
	add_tok(lx, (struct tok){ .type = T_WORD, .word = word });
}

/* Splits a line into tokens; -1 (message printed) on a syntax error. */
static int lex(const char *line, struct lexer *lx)
{
	memset(lx, 0, sizeof(*lx));
	lx->p = line;
	for (;;) {
		const char *p;
		struct tok t = { .type = T_REDIR, .fd = -1 };

		while (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\n')
			lx->p++;
		p = lx->p;
		if (!*p || *p == '#')
			break;
		/* "2>" and "0<": a digit right before a redirection. */
		if (isdigit((unsigned char)p[0]) && (p[1] == '<' || p[1] == '>')) {
			t.fd = p[0] - '0';
			p++;
		}
		if (*p == '<' || *p == '>') {
			if (t.fd < 0)
				t.fd = *p == '<' ? 0 : 1;
			if (*p == '<') {
				t.kind = R_IN;
				p++;
			} else if (p[1] == '>') {
				t.kind = R_APPEND;
				p += 2;
			} else if (p[1] == '&') {
				t.kind = R_DUP;
				p += 2;
			} else {
				t.kind = R_OUT;
				p++;
			}
			lx->p = p;
			add_tok(lx, t);
			continue;
		}
		if (*p == '|' || *p == '&' || *p == ';') {
			int twice = p[1] == p[0] && *p != ';';

			t.type = *p == ';' ? T_SEMI : *p == '|' ? (twice ? T_OR : T_PIPE) :
							    (twice ? T_AND : T_AMP);
			lx->p = p + 1 + twice;
			add_tok(lx, t);
			continue;
		}
		lex_word(lx);
		if (lx->error)
			break;
	}
	if (lx->error) {
		dprintf(2, "sh: syntax error: %s\n", lx->error);
		return -1;
	}
	return 0;
}

static void free_toks(struct lexer *lx)
{
	for (int i = 0; i < lx->n; i++)
		free(lx->toks[i].word);
	free(lx->toks);
}

/* ---------------------------------------------------------------------- */
/* Commands: pointers into the token array */

struct redir {
	int fd;
	enum redir_kind kind;
	const char *raw;	/* the target as typed */
	char *target;		/* expanded */
};

struct cmd {
	const char **words;	/* as typed, redirections left out */
	int nwords;
	struct redir *redirs;
	int nredirs;
	/* Expanded when the command runs (expand_cmd()): */
	char **argv;		/* NULL-terminated; the assignments before it left out */
	int argc;
	char **assigns;		/* NAME=value words before the command name */
	int nassigns;
};

struct pipeline {
	struct cmd cmds[MAX_PIPE];
	int n;
	enum tok_type end;	/* T_SEMI (also the end of the line), T_AND, T_OR, T_AMP */
	int first, last;	/* its tokens, for the job's text */
};

/* NAME of NAME=value: a letter or '_', then letters, digits, '_'. */
static int is_name(const char *s, const char *end)
{
	if (s == end)
		return 0;
	for (const char *p = s; p < end; p++)
		if (!is_name_char((unsigned char)*p, p == s))
			return 0;
	return 1;
}

static int is_assignment(const char *w)
{
	const char *eq = strchr(w, '=');

	return eq && is_name(w, eq);
}

static void free_pipeline(struct pipeline *pl)
{
	for (int i = 0; i < pl->n; i++) {
		struct cmd *c = &pl->cmds[i];

		for (int k = 0; k < c->argc; k++)
			free(c->argv[k]);
		for (int k = 0; k < c->nassigns; k++)
			free(c->assigns[k]);
		for (int k = 0; k < c->nredirs; k++)
			free(c->redirs[k].target);
		free(c->words);
		free(c->argv);
		free(c->assigns);
		free(c->redirs);
	}
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		dprintf(2, "sh: out of memory\n");
		_exit(2);
	}
	return p;
}

static int syntax_error(const struct tok *t)
{
	static const char *const names[] = {
		[T_PIPE] = "|", [T_OR] = "||", [T_AND] = "&&", [T_AMP] = "&",
		[T_SEMI] = ";", [T_REDIR] = "redirection",
	};

	if (t)
		dprintf(2, "sh: syntax error near unexpected token '%s'\n",
			t->type == T_WORD ? t->word : names[t->type]);
	else
		dprintf(2, "sh: syntax error: unexpected end of line\n");
	return -1;
}

/* Parses the pipeline at toks[*i]; -1 (message printed) on a syntax error. */
static int parse_pipeline(struct tok *toks, int n, int *i, struct pipeline *pl)
{
	memset(pl, 0, sizeof(*pl));
	pl->first = *i;
	for (;;) {
		struct cmd *c;
		int start = *i, words = 0, redirs = 0;

		if (pl->n == MAX_PIPE) {
			dprintf(2, "sh: pipeline too long\n");
			return -1;
		}
		c = &pl->cmds[pl->n++];
		while (*i < n && (toks[*i].type == T_WORD || toks[*i].type == T_REDIR)) {
			if (toks[*i].type == T_REDIR) {
				if (*i + 1 >= n || toks[*i + 1].type != T_WORD)
					return syntax_error(*i + 1 < n ? &toks[*i + 1] : NULL);
				redirs++;
				*i += 2;
			} else {
				words++;
				(*i)++;
			}
		}
		if (!words && !redirs)
			return syntax_error(*i < n ? &toks[*i] : NULL);
		c->words = xcalloc(words, sizeof(char *));
		c->argv = xcalloc(words + 1, sizeof(char *));
		c->assigns = xcalloc(words, sizeof(char *));
		c->redirs = xcalloc(redirs, sizeof(struct redir));
		for (int k = start; k < *i; k++) {
			if (toks[k].type == T_REDIR) {
				c->redirs[c->nredirs++] = (struct redir){
					toks[k].fd, toks[k].kind, toks[k + 1].word, NULL };
				k++;
			} else {
				c->words[c->nwords++] = toks[k].word;
			}
		}
		if (*i < n && toks[*i].type == T_PIPE) {
			(*i)++;
			continue;
		}
		break;
	}
	pl->last = *i;
	pl->end = T_SEMI;
	if (*i < n) {
		pl->end = toks[*i].type;
		(*i)++;
		if ((pl->end == T_AND || pl->end == T_OR) && *i >= n)
			return syntax_error(NULL);
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Running commands */

static void expand_cmd(struct cmd *c)
{
	for (int k = 0; k < c->nwords; k++) {
		char *w = expand_word(c->words[k]);

		if (!w)
			continue;
		if (!c->argc && is_assignment(c->words[k]))
			c->assigns[c->nassigns++] = w;
		else
			c->argv[c->argc++] = w;
	}
	for (int k = 0; k < c->nredirs; k++) {
		c->redirs[k].target = expand_word(c->redirs[k].raw);
		if (!c->redirs[k].target)
			c->redirs[k].target = xcalloc(1, 1); /* "" */
	}
}

/* Applies the redirections in order; -1 (message printed) on failure. */
static int apply_redirs(const struct cmd *c)
{
	for (int i = 0; i < c->nredirs; i++) {
		const struct redir *r = &c->redirs[i];
		int fd;

		if (r->kind == R_DUP) {
			char *end;
			long from = strtol(r->target, &end, 10);

			if (!strcmp(r->target, "-")) {
				close(r->fd);
				continue;
			}
			if (!*r->target || *end || from < 0 || dup2((int)from, r->fd) < 0) {
				dprintf(2, "sh: %s: bad file descriptor\n", r->target);
				return -1;
			}
			continue;
		}
		fd = open(r->target, r->kind == R_IN ? O_RDONLY :
				     O_WRONLY | O_CREAT |
				     (r->kind == R_APPEND ? O_APPEND : O_TRUNC), 0666);
		if (fd < 0) {
			dprintf(2, "sh: %s: %s\n", r->target, strerror(errno));
			return -1;
		}
		if (fd != r->fd) {
			if (dup2(fd, r->fd) < 0) {
				dprintf(2, "sh: %d: %s\n", r->fd, strerror(errno));
				close(fd);
				return -1;
			}
			close(fd);
		}
	}
	return 0;
}

/* Runs argv[0] found through $PATH; returns only on failure, with the status. */
static int exec_path(char **argv)
{
	const char *path = getenv("PATH"), *dir, *end;
	int err = ENOENT;
	char file[MAX_LINE];

	if (strchr(argv[0], '/')) {
		execve(argv[0], argv, environ);
		err = errno;
		strncpy(file, argv[0], sizeof(file) - 1);
		file[sizeof(file) - 1] = '\0';
	} else {
		for (dir = path ? path : "/bin"; ; dir = end + 1) {
			int len;

			end = strchr(dir, ':');
			if (!end)
				end = dir + strlen(dir);
			/* An empty entry is the current directory. */
			len = snprintf(file, sizeof(file), "%.*s%s%s", (int)(end - dir), dir,
				       end > dir ? "/" : "", argv[0]);
			if (len < (int)sizeof(file)) {
				execve(file, argv, environ);
				if (errno != ENOENT && errno != ENOTDIR)
					err = errno;
				if (err != ENOENT)
					break;
			}
			if (!*end)
				break;
		}
		if (err == ENOENT) {
			dprintf(2, "sh: %s: command not found\n", argv[0]);
			return 127;
		}
	}
	/* POSIX: a file the kernel cannot run is a script for sh. */
	if (err == ENOEXEC) {
		int argc = 0;
		char **nargv;

		while (argv[argc])
			argc++;
		nargv = xcalloc(argc + 2, sizeof(char *));
		nargv[0] = "sh";
		nargv[1] = file;
		memcpy(nargv + 2, argv + 1, argc * sizeof(char *));
		execve("/bin/sh", nargv, environ);
		err = errno;
	}
	dprintf(2, "sh: %s: %s\n", argv[0], strerror(err));
	return err == ENOENT ? 127 : 126;
}

/* NAME=value words: into the environment (of the shell, or of a child). */
static void set_assigns(struct cmd *c)
{
	for (int i = 0; i < c->nassigns; i++) {
		char *eq = strchr(c->assigns[i], '=');

		*eq = '\0';
		setenv(c->assigns[i], eq + 1, 1);
		*eq = '=';
	}
}

typedef int builtin_fn(struct cmd *c);
static builtin_fn *find_builtin(const char *name);

/*
 * In a new child: with job control, into the job's group (pgid 0: a new
 * one), which gets the terminal if it runs in the foreground, and the
 * signals the shell ignores back to their defaults.
 */
static void join_job(pid_t pgid, int fg)
{
	if (!interactive)
		return;
	/* Both sides set the group, so neither waits for the other. */
	setpgid(0, pgid);
	if (fg)
		give_terminal(pgid ? pgid : getpid());
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	signal(SIGTTIN, SIG_DFL);
	signal(SIGTTOU, SIG_DFL);
}

/* In the child: becomes the command. */
static __attribute__((noreturn)) void child(struct cmd *c, pid_t pgid, int fg,
					    int in, int out)
{
	builtin_fn *builtin;

	join_job(pgid, fg);
	if (in != 0) {
		dup2(in, 0);
		close(in);
	}
	if (out != 1) {
		dup2(out, 1);
		close(out);
	}
	if (apply_redirs(c) < 0)
		_exit(1);
	set_assigns(c);
	if (!c->argc)
		_exit(0);
	builtin = find_builtin(c->argv[0]);
	_exit(builtin ? builtin(c) : exec_path(c->argv));
}

static struct job *find_job(pid_t pid, int *idx)
{
	for (int j = 0; j < MAX_JOBS; j++)
		for (int k = 0; jobs[j].pgid && k < jobs[j].npids; k++)
			if (jobs[j].pids[k] == pid) {
				*idx = k;
				return &jobs[j];
			}
	return NULL;
}

/* Records a reaped child in its job; the job is done when alive reaches 0. */
static struct job *note_exit(pid_t pid, int st)
{
	int idx;
	struct job *j = find_job(pid, &idx);

	if (!j)
		return NULL;
	j->alive--;
	if (idx == j->npids - 1)
		j->status = st;
	return j;
}

static void free_job(struct job *j)
{
	free(j->cmd);
	memset(j, 0, sizeof(*j));
}

/* "Done", "Exit 3", "Killed": what happened to a background job. */
static void report_job(struct job *j)
{
	int st = j->status;

	if (WIFSIGNALED(st))
		dprintf(2, "[%d] %s\t%s\n", j->pids[j->npids - 1],
			strsignal(WTERMSIG(st)), j->cmd);
	else if (WEXITSTATUS(st))
		dprintf(2, "[%d] Exit %d\t%s\n", j->pids[j->npids - 1],
			WEXITSTATUS(st), j->cmd);
	else
		dprintf(2, "[%d] Done\t%s\n", j->pids[j->npids - 1], j->cmd);
}

/* Reaps finished background jobs without waiting; reports them if interactive. */
static void reap_background(void)
{
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		struct job *j = note_exit(pid, st);

		if (j && !j->alive) {
			if (interactive)
				report_job(j);
			free_job(j);
		}
	}
}

/* Waits for the foreground job j; returns its status, frees it. */
static int wait_foreground(struct job *j)
{
	int st, status;

	while (j->alive) {
		pid_t pid = waitpid(-1, &st, 0);
		struct job *other;

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break; /* ECHILD: nothing left to wait for */
		}
		other = note_exit(pid, st);
		if (other && other != j && !other->alive) {
			if (interactive)
				report_job(other);
			free_job(other);
		}
	}
	give_terminal(shell_pgid);
	st = j->status;
	status = status_code(st);
	/* Like bash: say how it died, except for the Ctrl-C and a closed pipe. */
	if (WIFSIGNALED(st)) {
		if (WTERMSIG(st) == SIGINT) {
			if (interactive)
				dprintf(2, "\n");
		}
		else if (WTERMSIG(st) != SIGPIPE)
			dprintf(2, "%s\n", strsignal(WTERMSIG(st)));
	}
	free_job(j);
	return status;
}

/* The text of tokens [first, last), for job reports. */
static char *job_text(struct lexer *lx, int first, int last)
{
	struct buf b = { 0 };

	for (int i = first; i < last; i++) {
		const struct tok *t = &lx->toks[i];
		static const char *const redir[] = { "<", ">", ">>", ">&" };

		if (b.len)
			buf_addc(&b, ' ');
		if (t->type == T_WORD) {
			buf_adds(&b, t->word);
		} else if (t->type == T_PIPE || t->type == T_OR || t->type == T_AND) {
			buf_adds(&b, t->type == T_PIPE ? "|" : t->type == T_OR ? "||" : "&&");
		} else if (t->type == T_REDIR) {
			if (t->fd != (t->kind == R_IN ? 0 : 1))
				buf_addc(&b, '0' + t->fd);
			buf_adds(&b, redir[t->kind]);
		}
	}
	if (!b.s)
		buf_add(&b, "", 0);
	return b.s;
}

static struct job *new_job(void)
{
	for (int k = 0; k < MAX_JOBS; k++)
		if (!jobs[k].pgid)
			return &jobs[k];
	dprintf(2, "sh: too many jobs\n");
	return NULL;
}

static int run_pipeline(struct lexer *lx, struct pipeline *pl)
{
	int bg = pl->end == T_AMP, in = 0, status;
	struct job *j = NULL;

	for (int i = 0; i < pl->n; i++)
		expand_cmd(&pl->cmds[i]);

	/* A lone builtin runs in the shell itself, so cd and exit work. */
	if (pl->n == 1 && !bg && pl->cmds[0].argc && find_builtin(pl->cmds[0].argv[0])) {
		int saved[3];
		struct cmd *c = &pl->cmds[0];

		for (int i = 0; i < 3; i++)
			saved[i] = fcntl(i, F_DUPFD_CLOEXEC, 10);
		status = apply_redirs(c) < 0 ? 1 : find_builtin(c->argv[0])(c);
		for (int i = 0; i < 3; i++) {
			if (saved[i] >= 0) {
				dup2(saved[i], i);
				close(saved[i]);
			}
		}
		return status;
	}
	/* Assignments alone set shell (here: environment) variables. */
	if (pl->n == 1 && !pl->cmds[0].argc && !pl->cmds[0].nredirs && !bg) {
		set_assigns(&pl->cmds[0]);
		return 0;
	}
	j = new_job();
	if (!j)
		return 1;
	for (int i = 0; i < pl->n; i++) {
		int fds[2] = { 0, 1 };
		pid_t pid;

		if (i + 1 < pl->n && pipe2(fds, O_CLOEXEC) < 0) {
			dprintf(2, "sh: pipe: %s\n", strerror(errno));
			break;
		}
		pid = fork();
		if (pid < 0) {
			dprintf(2, "sh: fork: %s\n", strerror(errno));
			if (i + 1 < pl->n) {
				close(fds[0]);
				close(fds[1]);
			}
			break;
		}
		if (!pid) {
			if (i + 1 < pl->n)
				close(fds[0]);
			child(&pl->cmds[i], j->pgid, !bg, in, fds[1]);
		}
		if (!j->pgid)
			j->pgid = pid;
		if (interactive)
			setpgid(pid, j->pgid);
		j->pids[j->npids++] = pid;
		j->alive++;
		if (in != 0)
			close(in);
		if (i + 1 < pl->n) {
			close(fds[1]);
			in = fds[0];
		}
	}
	if (in != 0)
		close(in);
	if (!j->npids) {
		free_job(j);
		return 1;
	}
	j->cmd = job_text(lx, pl->first, pl->last);
	if (bg) {
		if (interactive)
			dprintf(2, "[%d]\n", j->pids[j->npids - 1]);
		return 0;
	}
	return wait_foreground(j);
}

static void run_and_or(struct lexer *lx, struct pipeline *pls, int n)
{
	int skip = 0;

	for (int k = 0; k < n; k++) {
		if (!skip)
			last_status = run_pipeline(lx, &pls[k]);
		/* A skipped pipeline leaves $? alone: "false && a || b" runs b. */
		skip = pls[k].end == T_AND ? last_status != 0 :
		       pls[k].end == T_OR ? last_status == 0 : 0;
	}
}

/* "a && b &": the whole and-or list in the background, in a child shell. */
static int run_async_list(struct lexer *lx, struct pipeline *pls, int n)
{
	struct job *j = new_job();
	pid_t pid;

	if (!j)
		return 1;
	pid = fork();
	if (pid < 0) {
		dprintf(2, "sh: fork: %s\n", strerror(errno));
		return 1;
	}
	if (!pid) {
		join_job(0, 0);
		/* The child shell's commands stay in its group: no job control. */
		interactive = 0;
		memset(jobs, 0, sizeof(jobs));
		pls[n - 1].end = T_SEMI;
		run_and_or(lx, pls, n);
		exit(last_status);
	}
	if (interactive)
		setpgid(pid, pid);
	j->pgid = pid;
	j->pids[0] = pid;
	j->npids = j->alive = 1;
	j->cmd = job_text(lx, pls[0].first, pls[n - 1].last);
	if (interactive)
		dprintf(2, "[%d]\n", pid);
	return 0;
}

/* Runs one line; the status of its last pipeline. */
static void run_line(const char *line)
{
	struct pipeline *pls = NULL;
	struct lexer lx;
	int npls = 0, i = 0;

	if (lex(line, &lx) < 0) {
		last_status = 2;
		free_toks(&lx);
		return;
	}
	/* Parse the whole line first: a syntax error runs nothing. */
	while (i < lx.n) {
		struct pipeline *p = realloc(pls, (npls + 1) * sizeof(*pls));

		if (!p) {
			dprintf(2, "sh: out of memory\n");
			break;
		}
		pls = p;
		if (parse_pipeline(lx.toks, lx.n, &i, &pls[npls++]) < 0) {
			last_status = 2;
			for (int k = 0; k < npls; k++)
				free_pipeline(&pls[k]);
			free(pls);
			free_toks(&lx);
			return;
		}
	}
	/* And-or lists: pipelines joined by && and ||, ended by ; or &. */
	for (int k = 0, e; k < npls; k = e + 1) {
		for (e = k; e + 1 < npls && (pls[e].end == T_AND || pls[e].end == T_OR); e++)
			;
		if (pls[e].end == T_AMP && e > k)
			last_status = run_async_list(&lx, pls + k, e - k + 1);
		else
			run_and_or(&lx, pls + k, e - k + 1);
	}
	for (int k = 0; k < npls; k++)
		free_pipeline(&pls[k]);
	free(pls);
	free_toks(&lx);
}

/* ---------------------------------------------------------------------- */
/* Builtins */

static int bi_cd(struct cmd *c)
{
	const char *dir = c->argc > 1 ? c->argv[1] : getenv("HOME");
	char cwd[MAX_LINE];

	if (!dir)
		dir = "/";
	if (chdir(dir) < 0) {
		dprintf(2, "sh: cd: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	if (getcwd(cwd, sizeof(cwd)))
		setenv("PWD", cwd, 1);
	return 0;
}

static int bi_pwd(struct cmd *c)
{
	char cwd[MAX_LINE];

	(void)c;
	if (!getcwd(cwd, sizeof(cwd))) {
		dprintf(2, "sh: pwd: %s\n", strerror(errno));
		return 1;
	}
	printf("%s\n", cwd);
	return 0;
}

static int bi_exit(struct cmd *c)
{
	char *end;
	long n = last_status;

	if (c->argc > 1) {
		n = strtol(c->argv[1], &end, 10);
		if (!*c->argv[1] || *end) {
			dprintf(2, "sh: exit: %s: numeric argument required\n", c->argv[1]);
			n = 2;
		}
	}
	exit((int)(n & 0xff));
}

static int bi_export(struct cmd *c)
{
	int ret = 0;

	if (c->argc == 1) {
		for (char **e = environ; e && *e; e++)
			printf("export %s\n", *e);
		return 0;
	}
	for (int i = 1; i < c->argc; i++) {
		char *eq = strchr(c->argv[i], '=');

		/* Every variable is in the environment already: NAME alone is a no-op. */
		if (!is_name(c->argv[i], eq ? eq : c->argv[i] + strlen(c->argv[i]))) {
			dprintf(2, "sh: export: '%s': not a valid identifier\n", c->argv[i]);
			ret = 1;
		} else if (eq) {
			*eq = '\0';
			setenv(c->argv[i], eq + 1, 1);
			*eq = '=';
		}
	}
	return ret;
}

static int bi_unset(struct cmd *c)
{
	for (int i = 1; i < c->argc; i++)
		unsetenv(c->argv[i]);
	return 0;
}

/* exec CMD...: becomes CMD, with the redirections already in place. */
static int bi_exec(struct cmd *c)
{
	if (c->argc < 2)
		return 0;
	return exec_path(c->argv + 1);
}

/* wait: for every background job. */
static int bi_wait(struct cmd *c)
{
	pid_t pid;
	int st;

	(void)c;
	while ((pid = waitpid(-1, &st, 0)) > 0 || (pid < 0 && errno == EINTR)) {
		struct job *j = pid > 0 ? note_exit(pid, st) : NULL;

		if (j && !j->alive) {
			if (interactive)
				report_job(j);
			free_job(j);
		}
	}
	return 0;
}

static const struct {
	const char *name;
	builtin_fn *fn;
} builtins[] = {
	{ "cd", bi_cd }, { "pwd", bi_pwd }, { "exit", bi_exit },
	{ "export", bi_export }, { "unset", bi_unset }, { "wait", bi_wait },
	{ "exec", bi_exec },
};

static builtin_fn *find_builtin(const char *name)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(name, builtins[i].name))
			return builtins[i].fn;
	return NULL;
}

/* ---------------------------------------------------------------------- */
/* Reading lines */

/*
 * One line from fd, a byte at a time, so what follows the line stays for
 * the commands that read the same input. 0 at the end of the input.
 * For a terminal without a line discipline (with one they never arrive)
 * the editing characters are applied here too: DEL and ^H erase, ^C drops
 * the line, ^D on an empty line is the end.
 */
static int read_line(int fd, char *line, size_t size)
{
	size_t n = 0;
	ssize_t r;
	char c;

	for (;;) {
		r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (c == '\n')
			break;
		if (interactive && (c == 0x7f || c == '\b')) {
			if (n)
				n--;
			continue;
		}
		if (interactive && c == 0x03) {
			n = 0;
			continue;
		}
		if (interactive && c == 0x04 && !n)
			return 0;
		if (n < size - 1)
			line[n++] = c;
	}
	line[n] = '\0';
	return r > 0 || n;
}

static void run_fd(int fd)
{
	char *line = malloc(MAX_LINE);

	if (!line) {
		dprintf(2, "sh: out of memory\n");
		exit(2);
	}
	for (;;) {
		reap_background();
		if (interactive)
			dprintf(2, "%s", getuid() ? "$ " : "# ");
		if (!read_line(fd, line, MAX_LINE))
			break;
		run_line(line);
	}
	if (interactive)
		dprintf(2, "exit\n");
	free(line);
}

/* -c STRING: its lines one by one, so a cd in one is seen by the next. */
static void run_string(const char *s)
{
	char *copy = strdup(s), *line, *save;

	if (!copy) {
		dprintf(2, "sh: out of memory\n");
		exit(2);
	}
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		run_line(line);
	free(copy);
}

int main(int argc, char **argv)
{
	if (!getenv("PATH"))
		setenv("PATH", "/bin", 1);
	script_argc = argc;
	script_argv = argv;
	if (argc > 2 && !strcmp(argv[1], "-c")) {
		/* sh -c STRING [NAME [ARG...]]: NAME is $0. */
		script_argc = argc - 3;
		script_argv = argv + 3;
		if (script_argc <= 0) {
			script_argc = 1;
			script_argv = argv;
		}
		run_string(argv[2]);
		return last_status;
	}
	if (argc == 2 && !strcmp(argv[1], "-c")) {
		dprintf(2, "sh: -c: option requires an argument\n");
		return 2;
	}
	if (argc > 1) {
		int fd = open(argv[1], O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			dprintf(2, "sh: %s: %s\n", argv[1], strerror(errno));
			return 127;
		}
		script_argc = argc - 1;
		script_argv = argv + 1;
		run_fd(fd);
		close(fd);
		return last_status;
	}
	interactive = isatty(0) && isatty(2);
	if (interactive) {
		/* Job control: the shell's own group owns the terminal. */
		signal(SIGINT, SIG_IGN);
		signal(SIGQUIT, SIG_IGN);
		signal(SIGTSTP, SIG_IGN);
		signal(SIGTTIN, SIG_IGN);
		signal(SIGTTOU, SIG_IGN);
		setpgid(0, 0); /* EPERM for a session leader, whose group it is already */
		shell_pgid = getpid();
		give_terminal(shell_pgid);
	}
	run_fd(0);
	return last_status;
}
