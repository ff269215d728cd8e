from knowledge.search.chunks import build_chunks


def test_every_complete_text_gives_fields_and_questions(kb):
    chunks = build_chunks(kb)
    assert [c.id for c in chunks] == list(range(len(chunks)))
    keys = {(c.service, c.lang) for c in chunks}
    assert keys == {("residence-permit", "tr"), ("residence-permit", "en"), ("work-permit", "tr"),
                    ("work-permit", "en"), ("travel-permit", "tr")}
    en = [c for c in chunks if c.service == "work-permit" and c.lang == "en"]
    kinds = [c.kind for c in en]
    assert kinds.count("question") == 3
    assert {"title", "summary", "answer", "documents", "steps"} <= set(kinds)
    documents = next(c for c in en if c.kind == "documents")
    assert documents.text.startswith("Work permit: ") and "Passport; Photo" in documents.text


def test_markup_is_removed(kb_dir):
    from knowledge.loader import load
    import yaml
    path = kb_dir / "services" / "work-permit" / "en.yaml"
    data = yaml.safe_load(path.read_text())
    data["answer"] = "Apply at the [[İl Göç İdaresi Müdürlüğü]]."
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    chunks = build_chunks(load(kb_dir.parent / "content"))
    answer = next(c for c in chunks if c.service == "work-permit" and c.lang == "en" and c.kind == "answer")
    assert answer.text == "Apply at the İl Göç İdaresi Müdürlüğü."
