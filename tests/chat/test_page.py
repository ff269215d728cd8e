def test_chat_page_works_without_javascript(chat_app, fake_rasa):
    client = chat_app.test_client()
    page = client.get("/fa/chat")
    assert page.status_code == 200 and b'dir="rtl"' in page.data and b'name="message"' in page.data
    fake_rasa.replies.append([{"text": "<b>answer</b>", "buttons": [{"title": "Book", "payload": "/book_appointment"}]},
                              {"custom": {"meta": {"intent": "ask_question", "lang": "fa"}}}])
    resp = client.post("/fa/chat", data={"message": "<script>alert(1)</script>"})
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/fa/chat#latest")
    html = client.get("/fa/chat").get_data(as_text=True)
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert "&lt;b&gt;answer&lt;/b&gt;" in html and 'value="/book_appointment"' in html


def test_empty_post_shows_an_error(chat_app, fake_rasa):
    client = chat_app.test_client()
    resp = client.post("/en/chat", data={"message": "  "})
    assert resp.status_code == 303
    assert b"There is a problem" in client.get(resp.headers["Location"]).data
