"""A stable consumer-group identity per process slot (Kafka static membership, KIP-345).

A consumer killed with SIGKILL never says goodbye to its group. A broker that expires the dead member only
after its session timeout (Apache Kafka) or never (noida-db) would keep the partitions waiting. With a
`group.instance.id` the restarted process takes its predecessor's place at once. The id must be stable across
restarts yet unique among members running side by side: each process claims the first free numbered slot
with an exclusive file lock, which the kernel releases when the process dies, however it dies.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import socket
from pathlib import Path
from typing import IO

from kafka import KafkaAdminClient
from kafka.admin import MemberToRemove
from kafka.errors import KafkaError

log = logging.getLogger("rasid.group")

MAX_SLOTS = 1024


class InstanceSlot:
    """Slot `number` of this host for `group`, held until `release()` or process exit."""

    def __init__(self, group: str, number: int, lock_file: IO[bytes]) -> None:
        self.group = group
        self.number = number
        self._lock_file: IO[bytes] | None = lock_file

    @property
    def instance_id(self) -> str:
        return f"{self.group}-{socket.gethostname()}-{self.number}"

    def release(self) -> None:
        if self._lock_file is not None:
            self._lock_file.close()  # closing drops the flock
            self._lock_file = None


def claim_slot(run_dir: Path, group: str) -> InstanceSlot:
    """The lowest-numbered slot no other live process on this host holds for `group`."""
    run_dir.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", group)
    for number in range(MAX_SLOTS):
        lock_file = (run_dir / f"{safe}.slot-{number}.lock").open("ab")
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock_file.close()
            continue
        lock_file.truncate(0)
        lock_file.write(f"{os.getpid()}\n".encode())
        lock_file.flush()
        return InstanceSlot(group, number, lock_file)
    raise RuntimeError(f"more than {MAX_SLOTS} members of group {group} on this host")


def leave_group(bootstrap_servers: list[str], group: str, instance_id: str) -> None:
    """A static member does not leave on close; on a clean stop, leave explicitly so others take over now."""
    admin = None
    try:
        admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id="rasid-group-leave")
        admin.remove_group_members(group, [MemberToRemove(group_instance_id=instance_id)])
    except KafkaError as exc:
        log.warning("could not leave consumer group %s as %s (%s); the broker will expire it", group, instance_id, exc)
    finally:
        if admin is not None:
            admin.close()
