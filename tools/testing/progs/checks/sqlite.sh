# sqlite3: tables, transactions, rollback, indexes, joins; two processes on
# SPDX-License-Identifier: BSD-2-Clause
# one database (fcntl record locks); WAL mode (a shared file mapping).
sqlite3 db.sqlite <<'END'
CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, v REAL);
BEGIN;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000)
INSERT INTO t(name, v) SELECT 'n' || i, i * 0.5 FROM c;
COMMIT;
SELECT count(*), sum(v), max(name) FROM t;
BEGIN;
DELETE FROM t WHERE id % 2 = 0;
SELECT count(*) FROM t;
ROLLBACK;
SELECT count(*) FROM t;
CREATE INDEX tv ON t(v);
CREATE TABLE u(id INTEGER, tag TEXT);
INSERT INTO u VALUES (1, 'one'), (2, 'two'), (2, 'deux'), (7, 'seven');
SELECT t.name, group_concat(u.tag, '+') FROM t JOIN u ON t.id = u.id
  GROUP BY t.id ORDER BY t.id;
.mode csv
SELECT id, name FROM t WHERE v BETWEEN 10 AND 11;
PRAGMA integrity_check;
END
echo "status $?"
# A writer holds the database locked (its journal exists once it has
# written) until another has tried to write; no timing involved.
(echo 'BEGIN EXCLUSIVE; INSERT INTO u VALUES (8, "eight");'
	while [ ! -e tried ]; do sleep 0.1; done; echo 'COMMIT;') | sqlite3 db.sqlite &
n=0
while [ ! -e db.sqlite-journal ] && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
sqlite3 db.sqlite 'INSERT INTO u VALUES (9, "nine");'
echo "locked writer status $?"
: > tried
wait
rm tried
sqlite3 db.sqlite 'SELECT group_concat(tag) FROM u;'
sqlite3 wal.sqlite 'PRAGMA journal_mode=WAL; CREATE TABLE w(x); INSERT INTO w VALUES (1), (2);'
sqlite3 wal.sqlite 'SELECT sum(x) FROM w; PRAGMA journal_mode;'
ls | sort
