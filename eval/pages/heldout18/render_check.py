#!/usr/bin/env python3
"""Check heldout18 labels against the rendered text of each page.

Usage: python3 render_check.py [labels.json] [page_dir]

Written from scratch for this part; needs only the stdlib and lxml.
Rendering:
  * HTML: decoded as UTF-8, script/style/noscript dropped, lxml text_content().
  * Markdown (front matter removed): (a) raw text with link/image syntax reduced to
    the link text, '>' markers, '#', '**', '__', '_', backticks and tags stripped,
    HTML entities unescaped; (b) lxml text of the same source.
  Whitespace is collapsed in every rendering.
Checks: every quote starts/ends occurs, and an ends occurrence begins at or after a
starts occurrence (within 4000 chars) in the same rendering; field names and
vocabularies; comment count/author_replies/max_depth consistent with the list;
parents point backwards; comment authors and dates occur; not_quotes occur
(warning only); each file is byte-identical to its source blob in the local mirror
(MIRROR_ROOT, default /work/.mirror).
"""
import hashlib
import html
import json
import os
import re
import subprocess
import sys

import lxml.html

HOWS = {"said-clause", "according-to", "colon-leadin", "blockquote-leadin",
        "blockquote-unattributed", "blockquote-trailing-attribution", "heading-leadin",
        "pronoun", "fragment", "pull-quote", "headline-colon", "embedded-tweet", "qa-turn",
        "question-context", "context", "hypothetical"}
KINDS = {"news", "blog", "markdown", "interview", "thread", "no_quotes"}
PAGE_FIELDS = {"kind", "source", "title", "date", "quotes", "not_quotes", "comments", "note"}
QUOTE_REQ = {"speaker", "starts", "ends", "how"}
QUOTE_OPT = {"alt_speakers", "optional", "role", "note"}
COMMENT_FIELDS = {"count", "author_replies", "max_depth", "site_author", "markup", "note", "list"}
ITEM_FIELDS = {"author", "parent", "author_reply", "date"}


def ws(s):
    return " ".join(s.split())


def lxml_text(src):
    if not src.strip():
        return ""
    doc = lxml.html.fromstring(src)
    for e in doc.xpath("//script|//style|//noscript"):
        e.drop_tree()
    return ws(doc.text_content())


def md_raw(src):
    s = src
    s = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s, flags=re.S)
    s = re.sub(r"<[^>]+>", " ", s)
    s = re.sub(r"^\s*>+ ?", "", s, flags=re.M)
    s = re.sub(r"^\s*#+\s*", "", s, flags=re.M)
    s = s.replace("**", "").replace("__", "").replace("`", "")
    s = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", "", s)
    s = html.unescape(s)
    return ws(s)


def renderings(name, data):
    text = data.decode("utf-8", "replace")
    if name.endswith(".md"):
        if text.startswith("---"):
            end = text.find("\n---", 3)
            if end != -1:
                text = text[end + 4:]
        return [md_raw(text), lxml_text(text)]
    return [lxml_text(text)]


def blob(source):
    m = re.match(r"([^@]+)@([0-9a-f]{40}):(.+)$", source)
    if not m:
        return None
    repo, commit, path = m.groups()
    root = os.environ.get("MIRROR_ROOT", "/work/.mirror")
    gd = os.path.join(root, repo.replace("/", "+"), "repo")
    r = subprocess.run(["git", "--git-dir=" + gd, "show", commit + ":" + path],
                       capture_output=True)
    if r.returncode != 0:
        return None
    data = r.stdout
    if path.endswith(".gz"):
        import gzip
        data = gzip.decompress(data)
    return data


def find_pair(texts, starts, ends):
    for t in texts:
        si = [m.start() for m in re.finditer(re.escape(starts), t)]
        ei = [m.start() for m in re.finditer(re.escape(ends), t)]
        for a in si:
            for b in ei:
                if a <= b <= a + 4000:
                    return True
    return False


def occurs(texts, s):
    return any(s in t for t in texts)


def main():
    labels_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "labels.json")
    page_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(labels_path))
    labels = json.load(open(labels_path, encoding="utf-8"))
    total_fail = total_warn = nq = nstr = 0
    for name, lab in labels.items():
        fails, warns = [], []
        data = open(os.path.join(page_dir, name), "rb").read()
        texts = renderings(name, data)
        if set(lab) != PAGE_FIELDS:
            fails.append("page fields %s" % sorted(set(lab) ^ PAGE_FIELDS))
        if lab.get("kind") not in KINDS:
            fails.append("kind %r" % lab.get("kind"))
        src = blob(lab.get("source", ""))
        same = src is not None and hashlib.sha256(src).digest() == hashlib.sha256(data).digest()
        if not same:
            fails.append("file differs from its source blob (or source not found)")
        for i, q in enumerate(lab.get("quotes", []), 1):
            nq += 1
            keys = set(q)
            if not QUOTE_REQ <= keys or keys - QUOTE_REQ - QUOTE_OPT:
                fails.append("quote %d fields %s" % (i, sorted(keys)))
            if q.get("how") not in HOWS:
                fails.append("quote %d how %r" % (i, q.get("how")))
            if "optional" in q and q["optional"] is not True:
                fails.append("quote %d optional must be true" % i)
            if "role" in q and q["role"] not in ("interviewer", "interviewee"):
                fails.append("quote %d role %r" % (i, q["role"]))
            for f in ("starts", "ends"):
                nstr += 1
                if not occurs(texts, q[f]):
                    fails.append("quote %d %s not found: %r" % (i, f, q[f]))
            if occurs(texts, q["starts"]) and occurs(texts, q["ends"]) and not find_pair(texts, q["starts"], q["ends"]):
                fails.append("quote %d ends does not follow starts: %r .. %r" % (i, q["starts"], q["ends"]))
        for s in lab.get("not_quotes", []):
            if not occurs(texts, s):
                warns.append("not_quote not found: %r" % s)
        c = lab.get("comments", {})
        if set(c) != COMMENT_FIELDS:
            fails.append("comment fields %s" % sorted(set(c) ^ COMMENT_FIELDS))
        lst = c.get("list", [])
        if c.get("count") != len(lst):
            fails.append("comments.count %r != len(list) %d" % (c.get("count"), len(lst)))
        if c.get("author_replies") != sum(1 for it in lst if it.get("author_reply")):
            fails.append("author_replies mismatch")
        depth = []
        for j, it in enumerate(lst, 1):
            if set(it) != ITEM_FIELDS:
                fails.append("comment %d fields %s" % (j, sorted(it)))
            p = it.get("parent")
            if p is None:
                depth.append(1)
            elif isinstance(p, int) and 1 <= p < j:
                depth.append(depth[p - 1] + 1)
            else:
                fails.append("comment %d parent %r not an earlier item" % (j, p))
                depth.append(1)
            for f in ("author", "date"):
                nstr += 1
                if not occurs(texts, it.get(f) or "\x00"):
                    fails.append("comment %d %s not found: %r" % (j, f, it.get(f)))
            if it.get("author_reply") and c.get("site_author") and it.get("author") != c.get("site_author"):
                warns.append("comment %d author_reply but author != site_author" % j)
        if c.get("max_depth") != (max(depth) if depth else 0):
            fails.append("max_depth %r != computed %r" % (c.get("max_depth"), max(depth) if depth else 0))
        total_fail += len(fails)
        total_warn += len(warns)
        print("%s %s: %d quotes, %d comments, byte-identical=%s" % ("FAIL" if fails else "ok  ", name, len(lab.get("quotes", [])), len(lst), same))
        for m in fails:
            print("     - " + m)
        for m in warns:
            print("     ~ " + m)
    print("\n%d pages, %d quotes, %d strings checked, %d failures, %d warnings" % (len(labels), nq, nstr, total_fail, total_warn))
    return 1 if total_fail else 0


if __name__ == "__main__":
    sys.exit(main())
