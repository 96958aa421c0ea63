#!/usr/bin/env python3
"""Check labels.json of this part against the saved pages (stdlib + lxml).

Usage: python3 render_check.py [labels.json] [page_dir]
HTML: decoded as UTF-8 (errors replaced), script/style/noscript dropped, lxml text_content(),
whitespace collapsed. Markdown: raw text and a rendering with '>' markers, '#', '**', '__', '_',
backticks, link/image syntax stripped, HTML entities unescaped and tags removed; whitespace collapsed.
Checks: starts/ends occur, an ends occurrence begins at/after a starts occurrence (within 4000 chars),
field names and how values, comment counts/author_replies/max_depth/parents, comment authors/dates
present, not_quotes present (warnings), and each file byte-identical to its source blob in the local
bare mirrors (MIRROR_ROOT, default /work/.mirror).
"""
import sys, os, re, json, gzip, html as htmlmod, subprocess

HOW = {"said-clause", "according-to", "colon-leadin", "blockquote-leadin", "blockquote-unattributed",
       "blockquote-trailing-attribution", "heading-leadin", "pronoun", "fragment", "pull-quote",
       "headline-colon", "embedded-tweet", "qa-turn", "question-context", "context", "hypothetical"}
PAGE_FIELDS = {"kind", "source", "title", "date", "quotes", "not_quotes", "comments", "note"}
QUOTE_REQ = {"speaker", "starts", "ends", "how"}
QUOTE_OPT = {"alt_speakers", "optional", "role", "note"}
COMMENT_FIELDS = {"count", "author_replies", "max_depth", "site_author", "markup", "note", "list"}
ITEM_FIELDS = {"author", "parent", "author_reply", "date"}
KINDS = {"news", "blog", "markdown", "interview", "thread", "no_quotes"}

def ws(s):
    return re.sub(r"\s+", " ", s).strip()

def render_html(b):
    from lxml import html
    doc = html.fromstring(b.decode("utf-8", "replace"))
    for e in doc.xpath("//script|//style|//noscript"):
        e.drop_tree()
    return [ws(doc.text_content())]

def render_md(b):
    t = b.decode("utf-8", "replace")
    r = t
    r = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", r)
    r = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", r)
    r = re.sub(r"(?m)^\s*>\s?", "", r)
    r = re.sub(r"(?m)^#+\s*", "", r)
    r = r.replace("**", "").replace("__", "").replace("`", "")
    r = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", "", r)
    r2 = htmlmod.unescape(re.sub(r"<[^>]+>", "", r))
    return [ws(t), ws(r), ws(r2)]

def blob(source, root):
    repo, rest = source.split("@", 1)
    commit, path = rest.split(":", 1)
    g = os.path.join(root, repo.replace("/", "+"), "repo")
    b = subprocess.run(["git", "--git-dir", g, "show", f"{commit}:{path}"], capture_output=True).stdout
    if path.endswith(".gz") and b:
        b = gzip.decompress(b)
    return b

def follows(texts, s, e, span=4000):
    for t in texts:
        i = t.find(s)
        while i >= 0:
            j = t.find(e, i)
            if j >= 0 and j - i <= span:
                return True
            i = t.find(s, i + 1)
    return False

def main():
    lab = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "labels.json")
    pdir = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(lab))
    root = os.environ.get("MIRROR_ROOT", "/work/.mirror")
    labels = json.load(open(lab, encoding="utf-8"))
    npages = nq = nstr = nfail = nwarn = 0
    for name, p in labels.items():
        npages += 1
        errs, warns = [], []
        b = open(os.path.join(pdir, name), "rb").read()
        texts = render_md(b) if name.endswith(".md") else render_html(b)
        same = blob(p.get("source", ""), root) == b
        if not same:
            errs.append("file differs from its source blob")
        if set(p) != PAGE_FIELDS:
            errs.append(f"page fields {sorted(set(p) ^ PAGE_FIELDS)}")
        if p.get("kind") not in KINDS:
            errs.append(f"kind {p.get('kind')!r}")
        for k, q in enumerate(p.get("quotes", []), 1):
            nq += 1
            if not QUOTE_REQ <= set(q) or set(q) - QUOTE_REQ - QUOTE_OPT:
                errs.append(f"quote {k} fields {sorted(q)}")
            if q.get("how") not in HOW:
                errs.append(f"quote {k} how {q.get('how')!r}")
            if "optional" in q and q["optional"] is not True:
                errs.append(f"quote {k} optional must be true")
            for f in ("starts", "ends"):
                nstr += 1
                if not any(q[f] in t for t in texts):
                    errs.append(f"quote {k} {f} not found: {q[f]!r}")
            if all(any(q[f] in t for t in texts) for f in ("starts", "ends")) and not follows(texts, q["starts"], q["ends"]):
                errs.append(f"quote {k} ends does not follow starts (within 4000 chars): {q['starts']!r} .. {q['ends']!r}")
        for s in p.get("not_quotes", []):
            if not any(s in t for t in texts):
                warns.append(f"not_quote not found: {s!r}")
        c = p.get("comments", {})
        if set(c) != COMMENT_FIELDS:
            errs.append(f"comment fields {sorted(set(c) ^ COMMENT_FIELDS)}")
        lst = c.get("list", [])
        if c.get("count") != len(lst):
            errs.append(f"comments.count {c.get('count')} != len(list) {len(lst)}")
        if c.get("author_replies") != sum(1 for i in lst if i.get("author_reply")):
            errs.append("author_replies does not match list")
        depth = []
        for k, it in enumerate(lst, 1):
            if set(it) != ITEM_FIELDS:
                errs.append(f"comment {k} fields {sorted(it)}")
            par = it.get("parent")
            if par is None:
                depth.append(1)
            elif isinstance(par, int) and 1 <= par < k:
                depth.append(depth[par - 1] + 1)
            else:
                errs.append(f"comment {k} parent {par} not an earlier item")
                depth.append(1)
            for f in ("author", "date"):
                if not any(str(it.get(f)) in t for t in texts):
                    errs.append(f"comment {k} {f} not found: {it.get(f)!r}")
        if c.get("max_depth") != (max(depth) if depth else 0):
            errs.append(f"max_depth {c.get('max_depth')} != computed {max(depth) if depth else 0}")
        nfail += len(errs); nwarn += len(warns)
        print(f"{'FAIL' if errs else 'ok  '} {name}: {len(p.get('quotes', []))} quotes, byte-identical={same}")
        for e in errs + warns:
            print("     -", e)
    print(f"\n{npages} pages, {nq} quotes, {nstr} starts/ends strings checked, {nfail} failures, {nwarn} warnings")
    return 1 if nfail else 0

if __name__ == "__main__":
    sys.exit(main())
