"""Two users save the same complaint at the same moment, each through its own server, as two
browsers would: both had opened the form, then both click Save. Prints and records what the
database keeps: different fields must both survive; for the same field, which value won and
whether either user was shown an error."""

import argparse
import json
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from publish import Client  # noqa: E402


def save_together(clients, complaint_id, values):
    barrier, errors = threading.Barrier(len(clients)), []

    def save(client, vals):
        barrier.wait()
        try:
            client.call("crm.complaint", "write", [complaint_id], vals)
        except RuntimeError as error:
            errors.append(str(error))

    threads = [threading.Thread(target=save, args=pair) for pair in zip(clients, values, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--urls", required=True, help="two server URLs, comma-separated")
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    urls = args.urls.split(",")
    clients = [Client(urls[0], args.db, "load_quality_01"), Client(urls[1], args.db, "load_quality_02")]
    complaint_id = clients[0].call("crm.complaint", "search", [("is_closed", "=", False), ("to_triage", "=", False)],
                                   limit=1)[0]
    categories = clients[0].call("crm.complaint.category", "search", [], limit=2)
    fields = ["name", "quantity_affected", "category_id"]
    for client in clients:  # both forms are open
        client.call("crm.complaint", "read", [complaint_id], fields)
    errors = save_together(clients, complaint_id, [{"quantity_affected": 11.0}, {"category_id": categories[0]}])
    after = clients[0].call("crm.complaint", "read", [complaint_id], fields)[0]
    different = {"complaint": after["name"], "errors": errors,
                 "both_kept": after["quantity_affected"] == 11.0 and after["category_id"][0] == categories[0]}
    errors_same = save_together(clients, complaint_id, [{"quantity_affected": 21.0}, {"quantity_affected": 22.0}])
    same = clients[0].call("crm.complaint", "read", [complaint_id], ["quantity_affected"])[0]["quantity_affected"]
    result = {"different_fields": different, "same_field": {"errors": errors_same, "kept": same}}
    print(f"Concurrent saves of {after['name']}: different fields both kept: {different['both_kept']} "
          f"(errors: {errors or 'none'}); the same field: {same} kept (errors: {errors_same or 'none'})")
    with open(args.out, "w", encoding="utf-8") as file:
        json.dump(result, file, indent=1)
    if not different["both_kept"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
