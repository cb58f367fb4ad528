"""The daily care-team digest: each pool member gets one email with counts per pool. Counts only, no PHI.

Recipients come from one GSI1 Query of the staff accounts that belong to a pool; each pool's counts are
two COUNT Queries, made once per run however many members the pool has.
"""

from __future__ import annotations

from chalicelib.core import notify
from chalicelib.core import users as user_store
from chalicelib.core.observability import isolated, logger
from chalicelib.messaging import email as messaging_email
from chalicelib.messaging import service as messaging
from chalicelib.messaging import store as message_store
from chalicelib.messaging.models import DigestOut


def send_daily_digest() -> DigestOut:
    names = messaging.pools()
    counts: dict[str, tuple[int, int]] = {}
    sent = 0
    for member in user_store.list_pool_members():
        if not member.email:
            continue
        with isolated("care-team-digest", sub=member.sub):
            lines: list[tuple[str, int, int]] = []
            for pool_id in member.pools:
                if pool_id not in names:  # a pool removed from the clinic's configuration
                    continue
                if pool_id not in counts:
                    counts[pool_id] = (
                        message_store.count_inbox(pool_id, "unread"),
                        message_store.count_inbox(pool_id, "open"),
                    )
                unread, open_ = counts[pool_id]
                if unread or open_:
                    lines.append((names[pool_id], unread, open_))
            if lines and notify.send(member.email, messaging_email.digest_notice(lines)):
                sent += 1
    logger.info("care-team digest sent", extra={"recipients": sent, "pools": len(counts)})
    return DigestOut(
        sent=sent, pools={pool_id: unread + open_ for pool_id, (unread, open_) in counts.items()}
    )
