#!/usr/bin/env python3
"""Stand-alone checker for heldout17 labels (written from scratch for this part).

Usage: python3 render_check.py [labels.json] [page_dir]

Renders each page to plain text and checks that every quote `starts`/`ends` string occurs,
that an `ends` occurrence begins at or after a `starts` occurrence (within 4000 chars) in the
same rendering, field names and vocabularies, comment-list consistency, that comment authors and
dates occur in the page, that not_quotes occur (warning only), and that each file is
byte-identical to the blob named by its `source` (read from local bare git mirrors under
MIRROR_ROOT, default /work/.mirror; skipped with a warning if the mirror is absent).
Needs only the standard library and lxml. Exit status 1 on any failure.
"""
import gzip
import html
import json
import os
import re
import subprocess
import sys

from lxml import html as lhtml

PAGE_FIELDS = {"kind", "source", "title", "date", "quotes", "not_quotes", "comments", "note"}
QUOTE_REQ = {"speaker", "starts", "ends", "how"}
QUOTE_OPT = {"alt_speakers", "optional", "role", "note"}
COMMENT_FIELDS = {"count", "author_replies", "max_depth", "site_author", "markup", "note", "list"}
ITEM_REQ = {"author", "parent", "author_reply", "date"}
ITEM_OPT = {"replies_to", "spam", "note"}
KINDS = {"news", "blog", "markdown", "interview", "thread", "no_quotes"}
HOWS = {"said-clause", "according-to", "colon-leadin", "blockquote-leadin",
        "blockquote-unattributed", "blockquote-trailing-attribution", "heading-leadin",
        "pronoun", "fragment", "pull-quote", "headline-colon", "embedded-tweet", "qa-turn",
        "question-context", "context", "hypothetical"}
ROLES = {"interviewer", "interviewee"}
MIRROR_ROOT = os.environ.get("MIRROR_ROOT", "/work/.mirror")


def ws(s):
    return re.sub(r"\s+", " ", s).strip()


def html_text(raw):
    doc = lhtml.fromstring(raw)
    for el in doc.xpath("//script|//style|//noscript"):
        el.drop_tree()
    return ws(doc.text_content())


def md_renderings(raw):
    text = raw
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end != -1:
            text = text[end + 4:]
    out = []
    t = text
    t = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", t)          # images
    t = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", t)           # links
    t = re.sub(r"(?m)^\s{0,3}>\s?", "", t)                   # blockquote markers
    t = re.sub(r"(?m)^\s{0,3}#+\s*", "", t)                  # headings
    t = re.sub(r"<[^>]+>", " ", t)                           # tags
    t = t.replace("**", "").replace("__", "").replace("`", "")
    t = re.sub(r"(?<!\w)_(?=\S)|(?<=\S)_(?!\w)", "", t)       # _emphasis_
    out.append(ws(html.unescape(t)))
    try:
        out.append(html_text(text.encode("utf-8")))
    except Exception:
        pass
    return out


def renderings(path):
    raw = open(path, "rb").read()
    if path.endswith(".md"):
        return md_renderings(raw.decode("utf-8"))
    return [html_text(raw.decode("utf-8", "replace"))]


def find_all(hay, needle):
    out, i = [], hay.find(needle)
    while i != -1:
        out.append(i)
        i = hay.find(needle, i + 1)
    return out


def source_blob(source):
    m = re.match(r"^([^/@:]+/[^@:]+)@([0-9a-f]{7,40}):(.+)$", source)
    if not m:
        return None, "bad source format"
    repo, commit, path = m.groups()
    gd = os.path.join(MIRROR_ROOT, repo.replace("/", "+"), "repo")
    if not os.path.isdir(gd):
        return None, "mirror missing"
    r = subprocess.run(["git", "--git-dir", gd, "show", f"{commit}:{path}"], capture_output=True)
    if r.returncode:
        return None, "blob not found"
    b = r.stdout
    if path.endswith(".gz"):
        b = gzip.decompress(b)
    return b, None


def check_page(name, p, page_dir):
    fails, warns = [], []
    extra = set(p) - PAGE_FIELDS
    missing = PAGE_FIELDS - set(p)
    if extra or missing:
        fails.append(f"page fields extra={sorted(extra)} missing={sorted(missing)}")
    if p.get("kind") not in KINDS:
        fails.append(f"kind {p.get('kind')!r}")
    path = os.path.join(page_dir, name)
    if not os.path.exists(path):
        return [f"file missing: {path}"], warns, None, 0
    rends = renderings(path)
    nstr = 0
    for i, q in enumerate(p.get("quotes", []), 1):
        ks = set(q)
        if not QUOTE_REQ <= ks or ks - QUOTE_REQ - QUOTE_OPT:
            fails.append(f"quote {i} fields {sorted(ks)}")
        if q.get("how") not in HOWS:
            fails.append(f"quote {i} how {q.get('how')!r}")
        if "optional" in q and q["optional"] is not True:
            fails.append(f"quote {i} optional must be true when present")
        if "role" in q and q["role"] not in ROLES:
            fails.append(f"quote {i} role {q['role']!r}")
        if "alt_speakers" in q and not isinstance(q["alt_speakers"], list):
            fails.append(f"quote {i} alt_speakers not a list")
        s, e = ws(q.get("starts", "")), ws(q.get("ends", ""))
        nstr += 2
        if not s or not e:
            fails.append(f"quote {i} empty starts/ends")
            continue
        ok_s = any(s in r for r in rends)
        ok_e = any(e in r for r in rends)
        if not ok_s:
            fails.append(f"quote {i} starts not found: {s!r}")
        if not ok_e:
            fails.append(f"quote {i} ends not found: {e!r}")
        if ok_s and ok_e:
            good = False
            for r in rends:
                for a in find_all(r, s):
                    for b in find_all(r, e):
                        if a <= b <= a + 4000:
                            good = True
                            break
                    if good:
                        break
                if good:
                    break
            if not good:
                fails.append(f"quote {i} ends does not follow starts (within 4000 chars): {s!r} .. {e!r}")
    for nq in p.get("not_quotes", []):
        if not any(ws(nq) in r for r in rends):
            warns.append(f"not_quote not found: {nq!r}")
    c = p.get("comments", {})
    if set(c) != COMMENT_FIELDS:
        fails.append(f"comments fields {sorted(c)}")
    lst = c.get("list", [])
    if c.get("count") != len(lst):
        fails.append(f"comments.count {c.get('count')} != len(list) {len(lst)}")
    if c.get("author_replies") != sum(1 for x in lst if x.get("author_reply")):
        fails.append(f"comments.author_replies {c.get('author_replies')} != counted")
    depth = {}
    for j, it in enumerate(lst, 1):
        ks = set(it)
        if not ITEM_REQ <= ks or ks - ITEM_REQ - ITEM_OPT:
            fails.append(f"comment {j} fields {sorted(ks)}")
        par = it.get("parent")
        if par is None:
            depth[j] = 1
        elif isinstance(par, int) and 1 <= par < j:
            depth[j] = depth[par] + 1
        else:
            fails.append(f"comment {j} parent {par} not an earlier item")
            depth[j] = 1
        for fld in ("author", "date"):
            v = it.get(fld)
            if v and not any(ws(v) in r for r in rends):
                fails.append(f"comment {j} {fld} not found: {v!r}")
    md = max(depth.values()) if depth else 0
    if c.get("max_depth") != md:
        fails.append(f"comments.max_depth {c.get('max_depth')} != computed {md}")
    blob, err = source_blob(p.get("source", ""))
    ident = None
    if blob is None:
        (fails if err == "bad source format" else warns).append(f"source: {err}")
    else:
        ident = blob == open(path, "rb").read()
        if not ident:
            fails.append("file differs from its source blob")
    return fails, warns, ident, nstr


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    lab = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "labels.json")
    page_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(lab))
    data = json.load(open(lab, encoding="utf-8"))
    nf = nw = nq = ns = 0
    for name, p in data.items():
        fails, warns, ident, nstr = check_page(name, p, page_dir)
        ns += nstr
        nq += len(p.get("quotes", []))
        print(f"{'ok  ' if not fails else 'FAIL'} {name}: {len(p.get('quotes', []))} quotes, byte-identical={ident}")
        for f in fails:
            print("     -", f)
        for w in warns:
            print("     warn:", w)
        nf += len(fails)
        nw += len(warns)
    print(f"\n{len(data)} pages, {nq} quotes, {ns} starts/ends strings checked, {nf} failures, {nw} warnings")
    sys.exit(1 if nf else 0)


if __name__ == "__main__":
    main()
