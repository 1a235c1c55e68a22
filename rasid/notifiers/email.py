"""E-mail over SMTP (smtplib + email), one message per alert; Message-ID derives from alert_id."""

from __future__ import annotations

import json
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate

from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from rasid.notifiers.base import Notifier, NotifierError
from rasid.notifiers.secrets import Secret, scrub
from rasid.records import Alert


def _retryable(exc: BaseException) -> bool:
    return isinstance(exc, NotifierError) and exc.retryable


class EmailNotifier(Notifier):
    name = "email"

    def __init__(self, recipients: list[str], *, from_addr: str, host: str = "localhost", port: int = 25,
                 use_ssl: bool = False, starttls: bool = False, user: Secret | None = None,
                 password: Secret | None = None, timeout: float = 10.0, max_retries: int = 2,
                 backoff_initial: float = 0.5) -> None:
        self.recipients = recipients
        self.from_addr = from_addr
        self.host = host
        self.port = port
        self.use_ssl = use_ssl
        self.starttls = starttls
        self.user = user
        self.password = password
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff_initial = backoff_initial

    def message(self, alert: Alert) -> EmailMessage:
        msg = EmailMessage()
        msg["Subject"] = f"[Rasid] {alert.rule_name or alert.rule_id}: {alert.title}"[:240]
        msg["From"] = self.from_addr
        msg["To"] = ", ".join(self.recipients)
        msg["Date"] = formatdate(alert.created_at.timestamp(), usegmt=True)
        # A stable Message-ID lets mail systems drop a duplicate sent just before a crash.
        msg["Message-ID"] = f"<{alert.alert_id}@rasid.alerts>"
        body = [alert.title, alert.url, "", f"rule: {alert.rule_name} ({alert.rule_id})",
                f"severity: {alert.severity}/5", "", json.dumps(alert.matched, ensure_ascii=False, indent=2)]
        msg.set_content("\n".join(body))
        return msg

    def send(self, alert: Alert) -> None:
        message = self.message(alert)
        retrying = Retrying(stop=stop_after_attempt(self.max_retries + 1),
                            wait=wait_exponential_jitter(multiplier=self.backoff_initial, max=8.0),
                            retry=retry_if_exception(_retryable), reraise=True)
        for attempt in retrying:
            with attempt:
                self._send_once(message)

    def _send_once(self, message: EmailMessage) -> None:
        where = f"{self.host}:{self.port}"
        try:
            if self.use_ssl:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                                      context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.user and self.password:
                    smtp.login(self.user.reveal(), self.password.reveal())
                smtp.send_message(message)
        except smtplib.SMTPAuthenticationError as exc:
            raise NotifierError(f"email via {where}: authentication refused (SMTP {exc.smtp_code})") from None
        except smtplib.SMTPResponseException as exc:
            transient = 400 <= exc.smtp_code < 500
            raise NotifierError(f"email via {where}: SMTP {exc.smtp_code} {scrub(str(exc.smtp_error))[:200]}",
                                retryable=transient) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise NotifierError(f"email via {where}: {type(exc).__name__}: {scrub(str(exc))[:200]}",
                                retryable=True) from None
