#!/usr/bin/env python3
"""The benchmark's reference: a producer written like the original system's (Python, aiokafka, Faker).

The original sent one rating per person every 10 s: Faker names plus the own name, a random movie
from the movies file, a random rating 1..10, the local time as ISO-8601, JSON values, gzip. This
does the same per message but without the pause, for --count messages, as fast as aiokafka takes
them: send() queues into aiokafka's batches (send_and_wait() per message would wait one broker
round trip each and make the comparison meaningless). It ends with the same summary line as
`ratingstream produce` so the bench script reads both alike.
"""

import argparse
import asyncio
import csv
import json
import random
import sys
import time
from datetime import datetime

from aiokafka import AIOKafkaProducer
from faker import Faker


def load_movies(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [row[0] for row in csv.reader(f) if row and row[0].strip()]


async def produce(args):
    fake = Faker()
    people = [fake.name() for _ in range(args.people)] + ["Stelios Giagkos"]
    movies = load_movies(args.movies)

    producer = AIOKafkaProducer(
        bootstrap_servers=args.bootstrap_servers,
        key_serializer=lambda k: k.encode("utf-8"),
        value_serializer=lambda v: json.dumps(v).encode("utf-8"),
        compression_type=args.compression,
    )
    await producer.start()
    delivered = failed = 0

    def on_done(future):
        nonlocal delivered, failed
        if future.exception() is None:
            delivered += 1
        else:
            failed += 1

    start = time.monotonic()
    sent = 0
    try:
        while sent < args.count:
            for name in people:
                if sent == args.count:
                    break
                message = {
                    "name": name,
                    "movie": random.choice(movies),
                    "rating": random.randint(1, 10),
                    "timestamp": datetime.now().isoformat(),
                }
                future = await producer.send(args.topic, message, key=name)
                future.add_done_callback(on_done)
                sent += 1
        await producer.flush()
        await asyncio.sleep(0)  # let the last done-callbacks run
    finally:
        await producer.stop()
    elapsed = time.monotonic() - start
    rate = delivered / elapsed if elapsed > 0 else 0.0
    print(f"summary: sent {sent}, delivered {delivered}, failed {failed}, elapsed {elapsed:.2f}s, "
          f"{rate:.1f} msg/s", file=sys.stderr)
    return 0 if delivered == sent else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap-servers", default="localhost:29092")
    parser.add_argument("--topic", required=True)
    parser.add_argument("--movies", required=True)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=14)
    parser.add_argument("--compression", default="gzip")
    return asyncio.run(produce(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
