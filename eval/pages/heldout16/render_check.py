#!/usr/bin/env python3
"""render_check.py for heldout16 - checks labels.json against the page files.

Usage: python3 render_check.py [labels.json] [page_dir]

- HTML: decoded as UTF-8 (errors replaced), parsed with lxml, script/style/noscript
  dropped, text_content(), whitespace collapsed.
- Markdown: YAML front matter removed; renderings tried: (a) raw, (b) Markdown syntax
  stripped (`>` markers, `#`, `**`, `__`, `_`, backticks, link/image syntax, <em> etc.
  tags), HTML entities unescaped; (c) the lxml text of the whole file (for Markdown
  files that are mostly HTML, e.g. the saaze comment pages). Whitespace collapsed.
- every quote starts/ends occurs, and some ends occurrence begins at or after some
  starts occurrence (within 4000 chars) in the same rendering;
- field names, kind and how values, optional is true when present;
- comments: count == len(list), author_replies == #author_reply, max_depth computed
  from parent, parent points to an earlier item, author and date occur in the page;
- not_quotes occur (warning only);
- each file is byte-identical to its `source` blob in the local bare mirror
  (MIRROR_ROOT, default /work/.mirror; scrapinghub .html.gz gunzipped).
Stdlib + lxml only.
"""
import gzip
import html
import json
import os
import re
import subprocess
import sys

import lxml.html

KINDS = {"news", "blog", "markdown", "interview", "thread", "no_quotes"}
HOWS = {"said-clause", "according-to", "colon-leadin", "blockquote-leadin",
        "blockquote-unattributed", "blockquote-trailing-attribution", "heading-leadin",
        "pronoun", "fragment", "pull-quote", "headline-colon", "embedded-tweet",
        "qa-turn", "question-context", "context", "hypothetical"}
PAGE_FIELDS = {"kind", "source", "title", "date", "quotes", "not_quotes", "comments", "note"}
QUOTE_REQ = {"speaker", "starts", "ends", "how"}
QUOTE_OPT = {"alt_speakers", "optional", "role", "note"}
COMMENT_FIELDS = {"count", "author_replies", "max_depth", "site_author", "markup", "note", "list"}
ITEM_REQ = {"author", "parent", "author_reply", "date"}
ITEM_OPT = {"replies_to", "spam", "note"}
MIRROR = os.environ.get("MIRROR_ROOT", "/work/.mirror")


def ws(s):
    return " ".join(s.split())


def html_text(raw):
    doc = lxml.html.fromstring(raw)
    for e in doc.xpath("//script|//style|//noscript"):
        e.drop_tree()
    return ws(doc.text_content())


def md_strip(t):
    t = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", t)
    t = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", t)
    t = re.sub(r"\[([^\]]*)\]\[[^\]]*\]", r"\1", t)
    t = re.sub(r"^\s*>+ ?", "", t, flags=re.M)
    t = re.sub(r"^\s*#+\s*", "", t, flags=re.M)
    t = t.replace("**", "").replace("__", "").replace("`", "")
    t = re.sub(r"(?<![A-Za-z0-9])_([^_\n]+)_(?![A-Za-z0-9])", r"\1", t)
    t = re.sub(r"<[^>]+>", "", t)
    return html.unescape(t)


def renderings(name, raw):
    if name.endswith(".md"):
        t = raw.decode("utf-8", "replace")
        body = re.sub(r"\A---\n.*?\n---\n", "", t, flags=re.S)
        out = [ws(body), ws(md_strip(body))]
        try:
            out.append(html_text(body))
        except Exception:
            pass
        return out
    return [html_text(raw.decode("utf-8", "replace"))]


def blob(source):
    repo, rest = source.split("@", 1)
    commit, path = rest.split(":", 1)
    gd = os.path.join(MIRROR, repo.replace("/", "+"), "repo")
    data = subprocess.check_output(["git", "--git-dir", gd, "show", f"{commit}:{path}"])
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    return data


def follows(r, s, e):
    starts = [m.start() for m in re.finditer(re.escape(s), r)]
    ends = [m.start() for m in re.finditer(re.escape(e), r)]
    return any(0 <= b - a <= 4000 for a in starts for b in ends)


def main():
    lab = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "labels.json")
    pdir = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(lab))
    labels = json.load(open(lab, encoding="utf-8"))
    nq = nstr = nfail = nwarn = 0
    for name, page in labels.items():
        errs, warns = [], []
        raw = open(os.path.join(pdir, name), "rb").read()
        rends = renderings(name, raw)
        if set(page) != PAGE_FIELDS:
            errs.append(f"page fields {sorted(set(page) ^ PAGE_FIELDS)}")
        if page.get("kind") not in KINDS:
            errs.append(f"kind {page.get('kind')!r}")
        try:
            ident = blob(page["source"]) == raw
        except Exception as ex:
            ident = False
            errs.append(f"source blob not readable: {ex}")
        if not ident and not any(e.startswith("source blob") for e in errs):
            errs.append("file differs from its source blob")
        for i, q in enumerate(page.get("quotes", []), 1):
            nq += 1
            keys = set(q)
            if not QUOTE_REQ <= keys or keys - QUOTE_REQ - QUOTE_OPT:
                errs.append(f"quote {i} fields {sorted(keys)}")
            if q.get("how") not in HOWS:
                errs.append(f"quote {i} how {q.get('how')!r}")
            if "optional" in q and q["optional"] is not True:
                errs.append(f"quote {i} optional must be true")
            if "role" in q and q["role"] not in ("interviewer", "interviewee"):
                errs.append(f"quote {i} role {q['role']!r}")
            s, e = q.get("starts", ""), q.get("ends", "")
            nstr += 2
            if s != ws(s) or e != ws(e) or not s or not e:
                errs.append(f"quote {i} starts/ends not whitespace-collapsed or empty")
            if not any(s in r for r in rends):
                errs.append(f"quote {i} starts not found: {s!r}")
            if not any(e in r for r in rends):
                errs.append(f"quote {i} ends not found: {e!r}")
            elif any(s in r for r in rends) and not any(follows(r, s, e) for r in rends):
                errs.append(f"quote {i} ends does not follow starts (within 4000 chars): {s!r} .. {e!r}")
        for nqs in page.get("not_quotes", []):
            if not any(nqs in r for r in rends):
                warns.append(f"not_quote not found: {nqs!r}")
        c = page.get("comments", {})
        if set(c) != COMMENT_FIELDS:
            errs.append(f"comment fields {sorted(set(c) ^ COMMENT_FIELDS)}")
        lst = c.get("list", [])
        if c.get("count") != len(lst):
            errs.append(f"comments.count {c.get('count')} != len(list) {len(lst)}")
        if c.get("author_replies") != sum(1 for x in lst if x.get("author_reply")):
            errs.append("comments.author_replies does not match list")
        depth = []
        for j, it in enumerate(lst, 1):
            if not ITEM_REQ <= set(it) or set(it) - ITEM_REQ - ITEM_OPT:
                errs.append(f"comment {j} fields {sorted(it)}")
            p = it.get("parent")
            if p is None:
                depth.append(1)
            elif isinstance(p, int) and 1 <= p < j:
                depth.append(depth[p - 1] + 1)
            else:
                errs.append(f"comment {j} parent {p} not an earlier item")
                depth.append(1)
            for f in ("author", "date"):
                if not any(ws(str(it.get(f))) in r for r in rends):
                    errs.append(f"comment {j} {f} not found: {it.get(f)!r}")
        if c.get("max_depth") != (max(depth) if depth else 0):
            errs.append(f"comments.max_depth {c.get('max_depth')} != computed {max(depth) if depth else 0}")
        status = "FAIL" if errs else "ok  "
        print(f"{status} {name}: {len(page.get('quotes', []))} quotes, byte-identical={ident}")
        for e in errs:
            print("     -", e)
        for w in warns:
            print("     ~ warning:", w)
        nfail += len(errs)
        nwarn += len(warns)
    print(f"\n{len(labels)} pages, {nq} quotes, {nstr} starts/ends strings checked, {nfail} failures, {nwarn} warnings")
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
