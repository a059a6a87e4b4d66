"""The load test's figures, as Markdown tables: per screen (locust's statistics), the background
batches per job and node (from the two servers' logs), the publishing, emails and conflicts."""

import csv
import json
import os
import re
import sys
from collections import defaultdict

JOB_DONE = re.compile(r"Job '(?P<job>[^']+)' \((?P<id>\d+)\) done in (?P<seconds>[\d.]+)s")
ERROR_LINE = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")


def screens(out):
    print("| request | count | failures | req/s | p50 ms | p95 ms | max ms |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    with open(os.path.join(out, "locust_stats.csv"), encoding="utf-8") as file:
        for row in csv.DictReader(file):
            name = row["Name"] if row["Name"] != "Aggregated" else "**all requests**"
            print(f"| {name} | {row['Request Count']} | {row['Failure Count']} | {float(row['Requests/s']):.2f} | "
                  f"{row['50%']} | {row['95%']} | {float(row['Max Response Time']):.0f} |")
    exceptions = os.path.join(out, "locust_exceptions.csv")
    if os.path.exists(exceptions):
        with open(exceptions, encoding="utf-8") as file:
            for row in csv.DictReader(file):
                print(f"\nexception in the load generator ×{row['Count']}: {row['Message'][:200]}")
    failures = os.path.join(out, "locust_failures.csv")
    if os.path.exists(failures):
        with open(failures, encoding="utf-8") as file:
            for row in csv.DictReader(file):
                print(f"\nfailure ×{row['Occurrences']}: {row['Name']}: {row['Error'][:200]}")


def batches(out):
    jobs = defaultdict(lambda: defaultdict(list))
    errors = []
    for node in (1, 2):
        with open(os.path.join(out, f"node{node}.log"), encoding="utf-8", errors="replace") as file:
            for line in file:
                match = JOB_DONE.search(line)
                if match:
                    jobs[match["job"]][node].append(float(match["seconds"]))
                elif ERROR_LINE.match(line):
                    errors.append(f"node {node}: {line.strip()[:200]}")
    print("\n| scheduled job | calls on node 1 | calls on node 2 | longest call | total |")
    print("| --- | --- | --- | --- | --- |")
    for job, by_node in sorted(jobs.items()):
        every = by_node[1] + by_node[2]
        print(f"| {job} | {len(by_node[1])} | {len(by_node[2])} | {max(every):.1f} s | {sum(every):.1f} s |")
    print(f"\nERROR/CRITICAL lines in the servers' logs: {len(errors)}")
    for line in errors[:10]:
        print(f"  {line}")


def main():
    out = sys.argv[1]
    screens(out)
    batches(out)
    with open(os.path.join(out, "publish.json"), encoding="utf-8") as file:
        publish = json.load(file)
    with open(os.path.join(out, "report.json"), encoding="utf-8") as file:
        report = json.load(file)
    print(f"\nPublish click: {publish['click_seconds']} s ({publish['state_after_click']}); "
          f"{publish.get('done')} / {publish.get('total')} queued, {publish.get('final_state')} "
          f"{publish.get('published_after_seconds')} s after the click")
    print(f"Emails: {report['recipients']} recipients, {report['recipients_with_email']} with an email, "
          f"{report['distinct_emails']} distinct, {report['emails_of_notice']} emails of the notice in the queue: "
          f"exactly one each: {report['exactly_one_each']}")
    with open(os.path.join(out, "conflict.json"), encoding="utf-8") as file:
        conflict = json.load(file)
    print(f"Concurrent saves of {conflict['different_fields']['complaint']} by two users on the two servers: "
          f"different fields both kept: {conflict['different_fields']['both_kept']} "
          f"(errors: {conflict['different_fields']['errors'] or 'none'}); the same field: "
          f"{conflict['same_field']['kept']} kept (errors: {conflict['same_field']['errors'] or 'none'})")


if __name__ == "__main__":
    main()
