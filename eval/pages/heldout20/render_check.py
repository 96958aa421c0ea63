#!/usr/bin/env python3
"""Render check for heldout20 labels (stdlib + lxml only, written from scratch).

usage: python3 render_check.py [labels.json] [page_dir]
       python3 render_check.py --text FILE      # print a page's rendered text

Checks: every quote `starts`/`ends` occurs in the rendered page text (whitespace
collapsed), `ends` found after `starts` (within 6000 chars); field names and enum
values; comment count / author_replies / max_depth agree with `list`; parents point to
earlier items; not_quotes strings occur (warning only); the page file is byte-identical
to the blob named by `source` in the local bare mirror (gunzipped for .gz).
MIRROR_ROOT (default /work/.mirror) holds <owner>+<name>/repo bare git dirs.
"""
import gzip, json, os, re, subprocess, sys
import lxml.html

HOWS = {"said-clause", "according-to", "colon-leadin", "blockquote-leadin",
        "blockquote-unattributed", "blockquote-trailing-attribution", "heading-leadin",
        "pronoun", "fragment", "pull-quote", "headline-colon", "embedded-tweet", "qa-turn",
        "question-context", "context", "hypothetical"}
PAGE_KEYS = {"kind", "source", "title", "date", "quotes", "not_quotes", "comments", "note"}
QUOTE_REQ = {"speaker", "starts", "ends", "how"}
QUOTE_OPT = {"alt_speakers", "optional", "role", "note"}
COMMENT_KEYS = {"count", "author_replies", "max_depth", "site_author", "markup", "note", "list"}
ITEM_KEYS = {"author", "parent", "author_reply", "date", "replies_to", "note", "spam"}
KINDS = {"news", "blog", "markdown", "interview", "thread", "no_quotes"}
ROLES = {"interviewer", "interviewee"}


def collapse(s):
    return re.sub(r"\s+", " ", s).strip()


def decode(raw):
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def html_text(src):
    doc = lxml.html.document_fromstring(src)
    for bad in doc.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    return doc.text_content()


def md_text(src):
    s = src
    s = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", s)          # images
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)           # inline links
    s = re.sub(r"\[([^\]]*)\]\[[^\]]*\]", r"\1", s)          # reference links
    s = re.sub(r"(?m)^\s{0,3}(>\s?)+", "", s)                # block quote markers
    s = re.sub(r"(?m)^\s{0,3}#{1,6}\s*", "", s)              # headings
    s = re.sub(r"(?m)^\s*[-*+]\s+", "", s)                   # bullets
    s = re.sub(r"\*\*|__|`", "", s)                          # strong, code
    s = re.sub(r"(?<![\w*])\*(?!\s)([^*\n]+?)\*(?!\w)", r"\1", s)   # *em*
    s = re.sub(r"(?<![\w_])_(?!\s)([^_\n]+?)_(?![\w])", r"\1", s)   # _em_
    s = "<div>" + s + "</div>"
    try:
        return html_text(s)
    except Exception:
        return s


def render(path):
    raw = open(path, "rb").read()
    src = decode(raw)
    if path.endswith(".md"):
        return collapse(md_text(src))
    return collapse(html_text(src))


def blob(source):
    m = re.match(r"^([\w.-]+/[\w.-]+)@([0-9a-f]{40}):(.+)$", source)
    if not m:
        return None, "source not repo@commit:path"
    repo, commit, path = m.groups()
    gitdir = os.path.join(os.environ.get("MIRROR_ROOT", "/work/.mirror"),
                          repo.replace("/", "+"), "repo")
    p = subprocess.run(["git", "-C", gitdir, "show", "%s:%s" % (commit, path)],
                       capture_output=True)
    if p.returncode:
        return None, "git show failed: " + p.stderr.decode()[:200]
    data = p.stdout
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    return data, None


def check_page(name, lab, page_dir):
    fails, warns = [], []
    path = os.path.join(page_dir, name)
    if not os.path.exists(path):
        return ["missing file"], warns, 0
    extra = set(lab) - PAGE_KEYS
    if extra or set(lab) != PAGE_KEYS:
        fails.append("page keys: extra %s missing %s" % (sorted(extra), sorted(PAGE_KEYS - set(lab))))
    if lab.get("kind") not in KINDS:
        fails.append("bad kind %r" % lab.get("kind"))
    if lab.get("date") is not None and not re.match(r"^\d{4}-\d\d-\d\d$", lab["date"]):
        fails.append("bad date %r" % lab["date"])
    text = render(path)
    low = text  # exact, case-sensitive match
    n = 0
    for i, q in enumerate(lab.get("quotes", [])):
        keys = set(q)
        if not QUOTE_REQ <= keys or keys - QUOTE_REQ - QUOTE_OPT:
            fails.append("quote %d keys %s" % (i, sorted(keys)))
        if q.get("how") not in HOWS:
            fails.append("quote %d bad how %r" % (i, q.get("how")))
        if "role" in q and q["role"] not in ROLES:
            fails.append("quote %d bad role %r" % (i, q["role"]))
        if "optional" in q and q["optional"] is not True:
            fails.append("quote %d optional must be true" % i)
        st, en = collapse(q.get("starts", "")), collapse(q.get("ends", ""))
        n += 2
        a = low.find(st)
        if not st or a < 0:
            fails.append("quote %d starts not found: %r" % (i, st[:60]))
            continue
        # ends must occur after some occurrence of starts, within 6000 chars
        ok = False
        while a >= 0:
            b = low.find(en, a)
            if en and b >= 0 and b - a <= 6000:
                ok = True
                break
            a = low.find(st, a + 1)
        if not ok:
            fails.append("quote %d ends not found after starts: %r" % (i, en[:60]))
    for s in lab.get("not_quotes", []):
        if collapse(s) not in low:
            warns.append("not_quote not in text: %r" % s[:60])
    c = lab.get("comments", {})
    if set(c) != COMMENT_KEYS:
        fails.append("comment keys %s" % sorted(c))
    items = c.get("list", [])
    if c.get("count") != len(items):
        fails.append("comment count %r != list %d" % (c.get("count"), len(items)))
    if c.get("author_replies") != sum(1 for x in items if x.get("author_reply")):
        fails.append("author_replies mismatch")
    depth = {}
    for k, it in enumerate(items, 1):
        if set(it) - ITEM_KEYS or not {"author", "parent", "author_reply", "date"} <= set(it):
            fails.append("comment %d keys %s" % (k, sorted(it)))
        p = it.get("parent")
        if p is not None and not (isinstance(p, int) and 1 <= p < k):
            fails.append("comment %d parent %r not an earlier item" % (k, p))
            p = None
        depth[k] = 1 if p is None else depth[p] + 1
        if it.get("author") and collapse(it["author"]) not in low:
            fails.append("comment %d author not in text: %r" % (k, it["author"]))
        if it.get("date") and collapse(it["date"]) not in low:
            warns.append("comment %d date not in text: %r" % (k, it["date"]))
    md = max(depth.values()) if depth else 0
    if c.get("max_depth") != md:
        fails.append("max_depth %r != %d" % (c.get("max_depth"), md))
    data, err = blob(lab.get("source", ""))
    same = data is not None and data == open(path, "rb").read()
    if err:
        fails.append(err)
    elif not same:
        fails.append("file differs from source blob")
    return fails, warns, n, same, len(lab.get("quotes", [])), len(items)


def main(argv):
    if argv[:1] == ["--text"]:
        print(render(argv[1]))
        return 0
    here = os.path.dirname(os.path.abspath(__file__))
    labels = argv[0] if argv else os.path.join(here, "labels.json")
    page_dir = argv[1] if len(argv) > 1 else os.path.dirname(os.path.abspath(labels))
    d = json.load(open(labels))
    tf = tw = tn = tq = 0
    for name, lab in d.items():
        r = check_page(name, lab, page_dir)
        if len(r) == 3:
            fails, warns, n = r
            print("FAIL %s: %s" % (name, fails))
            tf += len(fails)
            continue
        fails, warns, n, same, nq, nc = r
        tn += n
        tq += nq
        tf += len(fails)
        tw += len(warns)
        print("%s %s: %d quotes, %d comments, byte-identical=%s" %
              ("ok  " if not fails else "FAIL", name, nq, nc, same))
        for f in fails:
            print("     fail: " + f)
        for w in warns:
            print("     warn: " + w)
    print("\n%d pages, %d quotes, %d strings checked, %d failures, %d warnings" %
          (len(d), tq, tn, tf, tw))
    return 1 if tf else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
