#!/usr/bin/env python3
"""Deletes the benchmark's topics afterwards, so a million-message run leaves no data behind."""

import asyncio
import sys

from aiokafka.admin import AIOKafkaAdminClient


async def delete(bootstrap_servers, topics):
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        await admin.delete_topics(topics)
    finally:
        await admin.close()


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: delete_topics.py BOOTSTRAP_SERVERS TOPIC...")
    asyncio.run(delete(sys.argv[1], sys.argv[2:]))
