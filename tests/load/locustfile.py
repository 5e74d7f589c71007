"""What 50 students do at once: open This week, the contact list, a contact's page and the
letters board, and log an interaction with the quick-log (as htmx posts it).

Each simulated user is one seeded student (var/loadtest/users.json, from tests/load/seed.py),
already signed in through the session cookie the seed created."""

import datetime
import itertools
import json
import random
from pathlib import Path

from locust import FastHttpUser, between, task

USERS = json.loads(
    (Path(__file__).resolve().parents[2] / "var" / "loadtest" / "users.json").read_text()
)
_next_user = itertools.cycle(USERS)


class Student(FastHttpUser):
    wait_time = between(1, 2)

    def on_start(self):
        self.me = next(_next_user)
        cookie = f"sessionid={self.me['session']}; csrftoken={self.me['csrf']}"
        self.headers = {"Cookie": cookie}
        self.post_headers = {
            "Cookie": cookie,
            "X-CSRFToken": self.me["csrf"],
            "HX-Request": "true",
            "Referer": f"{self.host}/",
        }

    def _get(self, url: str, name: str):
        with self.client.get(url, headers=self.headers, name=name, catch_response=True,
                             allow_redirects=False) as response:  # fmt: skip
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")

    @task(3)
    def home(self):
        self._get("/", "home")

    @task(2)
    def contact_list(self):
        self._get("/contacts/", "contact list")

    @task(3)
    def contact_page(self):
        self._get(f"/contacts/{random.choice(self.me['contacts'])}/", "contact page")

    @task(1)
    def letters(self):
        self._get("/letters/", "letters")

    @task(1)
    def quick_log(self):
        data = {
            "contact": random.choice(self.me["contacts"]),
            "kind": "email",
            "date": datetime.date.today().isoformat(),
            "direction": "outbound",
            "context": "clinical",
            "summary": "Sent a short update",
        }
        with self.client.post("/interactions/new/", data=data, headers=self.post_headers,
                              name="quick-log POST", catch_response=True,
                              allow_redirects=False) as response:  # fmt: skip
            if response.status_code != 200 or b"errorlist" in (response.content or b""):
                response.failure(f"status {response.status_code}")
