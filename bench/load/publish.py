"""The notice manager's Publish click during the load test, through the web client's JSON-RPC,
timed; with --wait, waits for the background batches to finish and records when they did."""

import argparse
import json
import os
import sys
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from prepare import NOTICE_TITLE, PASSWORD  # noqa: E402


class Client:
    def __init__(self, url, db, login="load_notices"):
        self.url, self.session = url, requests.Session()
        result = self._post("/web/session/authenticate", {"db": db, "login": login, "password": PASSWORD})
        self.context = result["user_context"]

    def _post(self, path, params):
        body = self.session.post(self.url + path, json={"jsonrpc": "2.0", "method": "call", "params": params},
                                 timeout=180).json()
        if "error" in body:
            raise RuntimeError(body["error"].get("data", {}).get("message"))
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        return self._post(f"/web/dataset/call_kw/{model}/{method}", {
            "model": model, "method": method, "args": list(args), "kwargs": {"context": self.context, **kwargs}})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--wait", type=int, help="seconds to wait for the publishing to finish")
    args = parser.parse_args()
    client = Client(args.url, args.db)
    notice_id = client.call("crm.supply.notice", "search", [("title", "=", NOTICE_TITLE)], limit=1)[0]
    fields = ["state", "publish_done", "publish_total"]
    if not args.wait:
        start = time.time()
        client.call("crm.supply.notice", "action_publish", [notice_id])
        click = time.time() - start
        state = client.call("crm.supply.notice", "read", [notice_id], fields)[0]
        result = {"notice_id": notice_id, "clicked_at": start, "click_seconds": round(click, 3),
                  "state_after_click": state["state"]}
        print(f"Publish click: {click:.2f} s, state {state['state']}")
    else:
        with open(args.out, encoding="utf-8") as file:
            result = json.load(file)
        deadline = time.time() + args.wait
        while True:
            state = client.call("crm.supply.notice", "read", [notice_id], fields)[0]
            if state["state"] != "publishing" or time.time() > deadline:
                break
            time.sleep(5)
        result.update({"final_state": state["state"], "done": state["publish_done"],
                       "total": state["publish_total"],
                       "published_after_seconds": round(time.time() - result["clicked_at"])})
        print(f"Notice {state['state']}: {state['publish_done']} / {state['publish_total']} "
              f"queued, {result['published_after_seconds']} s after the click")
    with open(args.out, "w", encoding="utf-8") as file:
        json.dump(result, file, indent=1)
    if args.wait and state["state"] == "publishing":
        sys.exit(1)


if __name__ == "__main__":
    main()
