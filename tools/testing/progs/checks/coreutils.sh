# busybox applets on files of the work directory: text, archives, find, dates.
# SPDX-License-Identifier: BSD-2-Clause
seq 1 20 > n.txt
printf '%s\n' pear apple fig banana apple > f.txt
sort f.txt
sort -u f.txt
sort -rn n.txt | head -3
wc -l n.txt f.txt
wc -c < f.txt
sed -e 's/a/A/g' -e '/fig/d' f.txt
awk '{ s += $1 } END { print s, NR, s / NR }' n.txt
printf 'a,1\nb,2\nc,3\n' | awk -F, '{ t[$1] = $2 * 10 } END { for (k in t) n++; print n, t["b"] }'
grep -n an f.txt
grep -c apple f.txt
grep -v -e a f.txt
uniq -c f.txt
sort f.txt | uniq -d
cut -c 2-4 f.txt
tr a-z A-Z < f.txt | head -2
tail -n 2 f.txt
md5sum n.txt f.txt
sha256sum n.txt
mkdir -p d/e/f
echo x > d/e/f/g
echo y > d/h
find d | sort
find d -type f -name g
ls d
ls -R d
cp -r d c
cmp d/h c/h && echo same
mv c/h c/i
ls c
ln -s h d/link
readlink d/link
cat d/link
stat -c '%s %F' d/h; stat -c %F d/e
tar cf a.tar d
tar tf a.tar | sort
mkdir x
(cd x && tar xf ../a.tar && cat d/e/f/g)
gzip -c n.txt > n.gz
gunzip -c n.gz | md5sum
od -c f.txt | head -2
echo one two three | xargs -n 1 echo item
basename /a/b/c.txt .txt
dirname /a/b/c.txt
diff n.txt n.txt && echo nodiff
expr 6 \* 7
expr length hello
printf '%05d|%-4s|%x|%s\n' 42 ab 255 end
date +%Y
date -d @86400 -u '+%Y-%m-%d %H:%M'
rm -r d c x
ls
