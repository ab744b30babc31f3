"""Batch jobs through litellm and a retry helper."""
import asyncio
from functools import partial

import litellm
from openai import OpenAI

client = OpenAI(base_url="https://api.apiyi.com/v1")


def call_api_with_retry(fn, attempts=3):
    for _ in range(attempts):
        try:
            return fn()
        except Exception:  # noqa: BLE001
            continue
    return None


def nightly(prompt):
    litellm.video_generation(prompt, "openai/sora-2", None, "8")  # valid
    litellm.video_generation(prompt, "openai/sora-2", None, "16")  # expect: SOR001
    litellm.video_extension("video_123", prompt, "8")  # valid
    litellm.video_generation(model="openai/sora-2", prompt=prompt, seconds="8", duration=8)  # expect: SOR008


def retried(prompt):
    kwargs = {"model": "sora-2-pro", "prompt": prompt, "seconds": 15, "size": "1792x1024"}  # valid under apiyi
    call_api_with_retry(lambda: client.videos.create(**kwargs))
    short = {"model": "sora-2", "prompt": prompt, "seconds": 5}  # expect: SOR001
    call_api_with_retry(lambda: client.videos.create(**short))


async def in_executor(prompt):
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, partial(client.videos.create, model="sora-2", prompt=prompt, seconds=8))  # valid
    job = partial(client.videos.create, model="sora-2", prompt=prompt, seconds="8")  # expect: SOR002
    await loop.run_in_executor(None, job)
