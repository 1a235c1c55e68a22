"""Where alerts go: log, webhook, Slack-compatible webhook, e-mail, the alerts topic and index.

Every notifier has the same interface (`Notifier`); the dispatcher sends each
alert to a rule's targets once, records what was sent, and keeps one failing
notifier from holding up the others.
"""

from rasid.notifiers.base import Digest, Notifier, NotifierError
from rasid.notifiers.dispatcher import AlertDispatcher, DispatchOutcome
from rasid.notifiers.email import EmailNotifier
from rasid.notifiers.log import LogNotifier
from rasid.notifiers.secrets import MissingSecret, Secret
from rasid.notifiers.slack import SlackNotifier
from rasid.notifiers.targets import notifiers_for_rule
from rasid.notifiers.webhook import WebhookNotifier

__all__ = [
    "AlertDispatcher", "Digest", "DispatchOutcome", "EmailNotifier", "LogNotifier", "MissingSecret", "Notifier",
    "NotifierError", "Secret", "SlackNotifier", "WebhookNotifier", "notifiers_for_rule",
]
