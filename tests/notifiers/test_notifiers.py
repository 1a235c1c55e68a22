"""Notifiers against real local receivers: payloads, retries, timeouts, e-mail, secrets kept out of logs."""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import pytest

from receivers import HttpReceiver, SmtpReceiver
from rasid.notifiers import (
    AlertDispatcher, EmailNotifier, LogNotifier, NotifierError, SlackNotifier, WebhookNotifier,
)
from rasid.notifiers.digest import DigestBuffer
from rasid.notifiers.metrics import NOTIFICATIONS
from rasid.notifiers.secrets import MissingSecret, Secret, resolve
from rasid.notifiers.targets import notifiers_for_rule
from rasid.records import Alert, DeadLetter, alert_id_for
from rasid.rules.spec import KeywordRuleSpec

# A real headline: BB-middleEast-700-20180705 (ANT corpus).
TITLE = "معلومات مهمة عن مضيق هرمز الذي هددت إيران بإغلاقه"


def make_alert(n: int = 0) -> Alert:
    return Alert(alert_id=alert_id_for("hormuz", f"article-{n}"), rule_id="hormuz", rule_name="مضيق هرمز",
                 article_id=f"article-{n}", matched={"type": "keyword", "terms": [{"text": "هرمز"}]}, severity=4,
                 created_at=datetime(2018, 7, 5, tzinfo=timezone.utc), title=TITLE,
                 url=f"https://www.bbc.com/arabic/middleeast-{n}")


def fast(url: str, **kw: object) -> WebhookNotifier:
    return WebhookNotifier(Secret(url, "test"), backoff_initial=0.01, backoff_max=0.05, **kw)  # type: ignore[arg-type]


def test_webhook_posts_the_alert_as_json_once_with_an_idempotency_key() -> None:
    alert = make_alert()
    with HttpReceiver() as receiver:
        fast(receiver.url(), static_payload={"team": "desk"}).send(alert)
    [call] = receiver.calls
    assert call.body["alert_id"] == alert.alert_id and call.body["title"] == TITLE
    assert call.body["team"] == "desk"
    assert call.headers["Idempotency-Key"] == alert.alert_id


def test_webhook_retries_server_errors_with_backoff_then_succeeds() -> None:
    with HttpReceiver(statuses=[503, 502, 200]) as receiver:
        fast(receiver.url(), max_retries=3).send(make_alert())
    assert len(receiver.calls) == 3
    assert len({c.headers["Idempotency-Key"] for c in receiver.calls}) == 1


def test_webhook_does_not_retry_a_client_error() -> None:
    with HttpReceiver(statuses=[400]) as receiver:
        with pytest.raises(NotifierError, match="HTTP 400"):
            fast(receiver.url(), max_retries=3).send(make_alert())
    assert len(receiver.calls) == 1


def test_webhook_times_out() -> None:
    with HttpReceiver(delay=1.0) as receiver:
        with pytest.raises(NotifierError, match="timed out"):
            fast(receiver.url(), timeout=0.2, max_retries=1).send(make_alert())
    assert len(receiver.calls) == 2


def test_slack_message_names_the_rule_and_links_the_article() -> None:
    with HttpReceiver() as receiver:
        SlackNotifier(Secret(receiver.url(), "slack"), channel="#alerts").send(make_alert())
    [call] = receiver.calls
    assert "مضيق هرمز" in call.body["text"] and f"<https://www.bbc.com/arabic/middleeast-0|{TITLE}>" in call.body["text"]
    assert call.body["channel"] == "#alerts"


def test_email_reaches_an_smtp_server_with_a_stable_message_id() -> None:
    alert = make_alert()
    with SmtpReceiver() as smtp:
        EmailNotifier(["desk@example.org"], from_addr="rasid@example.org", port=smtp.port).send(alert)
    [message] = smtp.messages
    assert smtp.envelopes[0] == ("rasid@example.org", ["desk@example.org"])
    assert TITLE in str(message["Subject"])
    assert message["Message-ID"] == f"<{alert.alert_id}@rasid.alerts>"
    assert alert.url in message.get_content()


def test_email_failure_is_a_notifier_error() -> None:
    with pytest.raises(NotifierError, match="email via localhost:1"):
        EmailNotifier(["a@b.c"], from_addr="r@b.c", port=1, max_retries=0, timeout=0.5).send(make_alert())


def test_a_failing_notifier_does_not_block_the_others_and_is_visible(caplog: pytest.LogCaptureFixture) -> None:
    letters: list[DeadLetter] = []
    failed_before = NOTIFICATIONS.labels("slack", "failed")._value.get()
    with HttpReceiver() as good, HttpReceiver(statuses=[500]) as bad:
        notifiers = [SlackNotifier(Secret(bad.url(), "slack"), max_retries=1, backoff_initial=0.01),
                     fast(good.url()), LogNotifier()]
        dispatcher = AlertDispatcher(lambda rule_id: notifiers, dead_letter=letters.append)
        with caplog.at_level(logging.WARNING):
            outcome = dispatcher.dispatch(make_alert())
            again = dispatcher.dispatch(make_alert())  # e.g. a replay
    assert outcome.sent == ["post", "log"] and "slack" in outcome.failed
    assert len(good.calls) == 1  # sent once, skipped on the replay
    assert again.skipped == ["post", "log"]
    assert len(bad.calls) == 4  # the failed one is tried again on the replay (2 attempts each)
    assert NOTIFICATIONS.labels("slack", "failed")._value.get() == failed_before + 2
    assert "notifier slack failed" in caplog.text
    assert letters and letters[0].stage == "notify" and letters[0].key == make_alert().alert_id


def test_an_interrupted_send_is_repeated_with_the_same_idempotency_key() -> None:
    alert = make_alert()
    with HttpReceiver() as receiver:
        notifier = fast(receiver.url())
        # The ledger as a crash left it: marked `sending`, outcome unknown.
        ledger = {f"sent\x1f{alert.alert_id}\x1fpost": {"state": "sending", "at": 0, "attempts": 1}}
        outcome = AlertDispatcher(lambda rule_id: [notifier], ledger=ledger).dispatch(alert)
    assert outcome.resent == ["post"]
    assert receiver.calls[0].headers["Idempotency-Key"] == alert.alert_id


def test_secrets_come_from_the_environment_and_never_reach_logs(caplog: pytest.LogCaptureFixture,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    token = "T0K3N-s3cr3t-9f8e7d"
    letters: list[DeadLetter] = []
    with HttpReceiver(statuses=[404]) as receiver:
        monkeypatch.setenv("RASID_TEST_SLACK_URL", receiver.url(f"/services/{token}"))
        monkeypatch.setenv("RASID_TEST_HOOK_TOKEN", f"Bearer {token}")
        spec = KeywordRuleSpec(name="n", type="keyword", query="هرمز", alert=["slack", "post"],
                               slack_webhook_url="${RASID_TEST_SLACK_URL}",
                               http_post_url="${RASID_TEST_SLACK_URL}",
                               http_post_headers={"Authorization": "${RASID_TEST_HOOK_TOKEN}"})
        notifiers = notifiers_for_rule(spec)
        with caplog.at_level(logging.DEBUG):
            outcome = AlertDispatcher(lambda rule_id: notifiers, dead_letter=letters.append).dispatch(make_alert())
    assert receiver.calls and receiver.calls[0].path == f"/services/{token}"  # the secret was used …
    assert any(c.headers.get("Authorization") == f"Bearer {token}" for c in receiver.calls)
    assert set(outcome.failed) == {"slack", "post"}
    visible = caplog.text + repr(notifiers) + str(outcome) + "".join(l.model_dump_json() for l in letters)
    assert token not in visible  # … and appears nowhere an operator can read


def test_an_unset_secret_variable_is_named_not_guessed() -> None:
    with pytest.raises(MissingSecret, match=r"RASID_NOT_SET_ANYWHERE is not set"):
        resolve("${RASID_NOT_SET_ANYWHERE}", "slack_webhook_url", env={})


def test_digest_gathers_a_rules_alerts_and_sends_them_once() -> None:
    store: dict = {}
    buffer = DigestBuffer(store)
    for n in range(3):
        buffer.add(make_alert(n), now=1000.0 + n)
    buffer.add(make_alert(1), now=1010.0)  # a replay is not counted twice
    assert buffer.due({"hormuz": ("مضيق هرمز", 600)}, now=1200.0) == []
    [digest] = buffer.due({"hormuz": ("مضيق هرمز", 600)}, now=1601.0)
    assert len(digest.alerts) == 3
    with HttpReceiver() as receiver:
        slack = SlackNotifier(Secret(receiver.url(), "slack"))
        dispatcher = AlertDispatcher(lambda rule_id: [slack])
        dispatcher.dispatch_digest(digest)
        dispatcher.dispatch_digest(digest)
    [call] = receiver.calls
    assert "3 alerts" in call.body["text"] and call.body["text"].count("•") == 3
    buffer.clear("hormuz")
    assert buffer.due({"hormuz": ("مضيق هرمز", 600)}, now=5000.0) == []
