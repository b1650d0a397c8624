def test_scratch(page):
    msgs=[]
    page.on("console", lambda m: msgs.append(m.text))
    page.goto("/accounts/login/")
    try:
        page.add_script_tag(content="window.x=1")
    except Exception as e:
        print("ERR", str(e)[:200])
    page.evaluate("() => { const s=document.createElement('div'); s.setAttribute('style','color:red'); document.body.append(s); }")
    page.wait_for_timeout(300)
    print(msgs)
